import type { DataMatrix } from '../data-matrix.js';
import { DataFormatError, InvalidArgumentError, checkInteger, describeValue } from '../errors.js';
import type { CsvOptions } from '../csv/csv-options.js';
import { readCsv } from '../csv/read-csv.js';
import { readIdx } from '../formats/idx-file.js';
import { readNpy } from '../formats/npy-file.js';
import { flatten, type NdArray } from '../nd-array.js';
import { DEFAULT_DATASET, acceptedDatasetSpecs } from './dataset-specs.js';
import { loadMnistFiles } from './mnist-files.js';
import { parseSpecParameters } from './spec-parameters.js';
import { findSyntheticDataset, SYNTHETIC_DATASETS } from './synthetic-datasets.js';
import { loadSusy, SUSY_PAPER_ROWS } from './susy-file.js';

/** A data set ready for training, as returned by {@link loadDataset}. */
export interface LoadedDataset {
  /** Short name, e.g. `synthetic:pca` or the file name. */
  name: string;
  /** The training points, one per row. */
  data: DataMatrix;
  /** One line for logs: where the data came from and its shape. */
  description: string;
  /** Held-out points, for sets that come with a test part (synthetic sets, MNIST). */
  test?: DataMatrix;
  /** Class labels of `data` (MNIST-format sets only). */
  labels?: Int32Array;
  /** Class labels of `test` (MNIST-format sets only). */
  testLabels?: Int32Array;
}

/** Options of {@link loadDataset}. */
export interface LoadDatasetOptions {
  /** Directory holding data files of named sets (the CLI's `--data-dir`). */
  dataDir?: string;
  /** Seed of synthetic generators and their train/test split. Default 0. */
  seed?: number;
  /** CSV options for `.csv` paths (e.g. `{ dropColumns: [0] }` for SUSY's label column). */
  csv?: CsvOptions;
  /** Where Debian installs Fashion-MNIST; only tests change it. */
  debianFashionMnistDir?: string;
}

export { DEFAULT_DATASET };

const shape = (m: DataMatrix): string => `${m.rows} × ${m.cols}`;

function rejectSpec(spec: string): never {
  throw new InvalidArgumentError('spec', `one of ${acceptedDatasetSpecs().join(', ')}`, describeValue(spec));
}

/** Rows of an n-d array from a file; uint8 values are scaled to [0, 1] (images), others left as stored. */
function fileMatrix(array: NdArray & { dataType: string }, path: string): DataMatrix {
  if (array.shape.length === 0) throw new DataFormatError(path, undefined, 'holds a scalar; expected an array whose first axis indexes data points');
  if (array.shape.slice(1).some((size) => size === 0) || array.shape[0] === 0) {
    throw new DataFormatError(path, undefined, `holds no data (shape [${array.shape.join(', ')}])`);
  }
  if (array.dataType === 'uint8') for (let i = 0; i < array.values.length; i++) array.values[i] = array.values[i]! / 255;
  return flatten(array);
}

/**
 * Loads a data set from a spec string, as given to `trientropy train --data` (see {@link DATASET_SPECS}):
 *
 * - `synthetic:<name>` — the paper's seeded generators (arXiv 2010.14860, experiments), optionally with parameters
 *   `synthetic:<name>:key=value,…`. `pca`/`pca-ring` give 10 000 training and 10 000 held-out points of
 *   one generating model; the toy sets and `manifold` follow the paper's pipeline: 50 000 points,
 *   min-max scaled to [0, 1], seeded 50/50 split (`data` = train, `test` = the rest).
 * - `susy` (or `susy:rows=N`) — UCI's SUSY.csv(.gz) from `dataDir`, the paper's pipeline: first
 *   2 500 000 rows, label column dropped, min-max scaled, seeded 50/50 split.
 * - `mnist`, `fashion-mnist` — the IDX files from `dataDir` (or `dataDir/<name>`), for Fashion-MNIST
 *   also from Debian's `dataset-fashion-mnist` package; pixels scaled to [0, 1], labels included.
 * - a path ending in `.csv`, `.npy`, `.idx` (each optionally `.gz`) or named like MNIST's
 *   `*-idx3-ubyte` files.
 *
 * Unknown specs are rejected with the list of accepted ones; missing MNIST files with how to get them.
 */
export async function loadDataset(spec: string = DEFAULT_DATASET, options: LoadDatasetOptions = {}): Promise<LoadedDataset> {
  if (typeof spec !== 'string' || spec.trim().length === 0) {
    throw new InvalidArgumentError('spec', `a data set spec (${acceptedDatasetSpecs().join(', ')})`, describeValue(spec));
  }
  const seed = checkInteger(options.seed ?? 0, 'options.seed', 0);
  if (spec.startsWith('synthetic:')) {
    const rest = spec.slice('synthetic:'.length);
    const colon = rest.indexOf(':');
    const name = colon < 0 ? rest : rest.slice(0, colon);
    const dataset = findSyntheticDataset(name);
    if (dataset === undefined) {
      throw new InvalidArgumentError('spec', `synthetic:<name> with a name among ${SYNTHETIC_DATASETS.map((d) => d.name).join(', ')}`, describeValue(spec));
    }
    const parameters = parseSpecParameters(colon < 0 ? undefined : rest.slice(colon + 1), dataset.parameters, spec);
    const { train, test } = dataset.make(seed, parameters);
    const canonical = `synthetic:${dataset.name}`;
    return {
      name: canonical,
      data: train,
      ...(test === undefined ? {} : { test }),
      // The set's own description states its defaults, so only the parameters actually given are named here.
      description: `${canonical}${parameters.size > 0 ? ` (${[...parameters].map(([k, v]) => `${k}=${v}`).join(', ')})` : ''}: ${shape(train)} training${test === undefined ? '' : ` + ${test.rows} held-out`} points, seed ${seed}`,
    };
  }
  const lower = spec.toLowerCase();
  if (lower === 'mnist' || lower === 'fashion-mnist') {
    const split = await loadMnistFiles(lower, options.dataDir, options.debianFashionMnistDir);
    return {
      name: lower,
      data: split.train,
      test: split.test,
      labels: split.trainLabels,
      testLabels: split.testLabels,
      description: `${lower}: ${shape(split.train)} training + ${split.test.rows} test images in [0,1] from ${split.directory}`,
    };
  }
  if (lower === 'susy' || lower.startsWith('susy:')) {
    const parameters = parseSpecParameters(lower.slice(5), { rows: { meaning: `rows read from the top of the file, default ${SUSY_PAPER_ROWS}`, kind: 'integer', min: 2 } }, spec);
    const rows = parameters.get('rows') ?? SUSY_PAPER_ROWS;
    const { train, test, path } = await loadSusy(options.dataDir, rows, seed);
    return {
      name: 'susy',
      data: train,
      test,
      description: `susy: ${shape(train)} training + ${test.rows} held-out rows of ${path} (first ${train.rows + test.rows} rows, label dropped, [0,1]-scaled), seed ${seed}`,
    };
  }
  const plain = lower.endsWith('.gz') ? lower.slice(0, -3) : lower;
  if (plain.endsWith('.csv')) {
    const data = await readCsv(spec, options.csv);
    return { name: spec, data, description: `${spec}: ${shape(data)} from CSV` };
  }
  if (plain.endsWith('.npy')) {
    const array = await readNpy(spec);
    const data = fileMatrix(array, spec);
    return { name: spec, data, description: `${spec}: ${shape(data)} from NPY (${array.dataType}, shape [${array.shape.join(', ')}])` };
  }
  if (plain.endsWith('.idx') || /-idx\d-ubyte$/.test(plain) || /\.idx\d-ubyte$/.test(plain)) {
    const array = await readIdx(spec);
    const data = fileMatrix(array, spec);
    return { name: spec, data, description: `${spec}: ${shape(data)} from IDX (${array.dataType}, shape [${array.shape.join(', ')}])` };
  }
  return rejectSpec(spec);
}
