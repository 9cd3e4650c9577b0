import type { DataMatrix } from '../data-matrix.js';
import { InvalidArgumentError, checkInteger, describeValue } from '../errors.js';
import { readCsv } from '../csv/read-csv.js';
import { generatePca } from '../synthetic/pca.js';

/** A data set ready for training, as returned by {@link loadDataset}. */
export interface LoadedDataset {
  /** Short name, e.g. `synthetic:pca` or the file name. */
  name: string;
  /** The training points, one per row. */
  data: DataMatrix;
  /** One line for logs: where the data came from and its shape. */
  description: string;
}

/** Options of {@link loadDataset}. */
export interface LoadDatasetOptions {
  /** Directory holding data files of named sets (the CLI's `--data-dir`). */
  dataDir?: string;
  /** Seed of synthetic generators. Default 0. */
  seed?: number;
}

/** The default data set spec. */
export const DEFAULT_DATASET = 'synthetic:pca';

const SYNTHETIC_NAMES = ['pca'] as const;

/** What {@link loadDataset} accepts, for error messages and `--help` texts. */
export function acceptedDatasetSpecs(): string[] {
  return [...SYNTHETIC_NAMES.map((n) => `synthetic:${n}`), '<path>.csv'];
}

/**
 * Loads a data set from a spec string, as given to `trientropy train --data`:
 * `synthetic:<name>` (seeded generators of the paper, spec §4.1–4.2) or a path to a `.csv` file.
 * Unknown specs are rejected with the list of accepted ones.
 */
export async function loadDataset(spec: string = DEFAULT_DATASET, options: LoadDatasetOptions = {}): Promise<LoadedDataset> {
  if (typeof spec !== 'string' || spec.trim().length === 0) {
    throw new InvalidArgumentError('spec', `a data set spec (${acceptedDatasetSpecs().join(', ')})`, describeValue(spec));
  }
  const seed = checkInteger(options.seed ?? 0, 'options.seed', 0);
  if (spec.startsWith('synthetic:')) {
    const name = spec.slice('synthetic:'.length);
    if (name === 'pca') {
      const { data } = generatePca({ seed });
      return { name: spec, data, description: `${spec}: ${data.rows} × ${data.cols} linear Gaussian (PCA) points, seed ${seed}` };
    }
    throw new InvalidArgumentError('spec', `one of ${acceptedDatasetSpecs().join(', ')}`, describeValue(spec));
  }
  if (spec.toLowerCase().endsWith('.csv') || spec.toLowerCase().endsWith('.csv.gz')) {
    const data = await readCsv(spec);
    return { name: spec, data, description: `${spec}: ${data.rows} × ${data.cols} from CSV` };
  }
  throw new InvalidArgumentError('spec', `one of ${acceptedDatasetSpecs().join(', ')}`, describeValue(spec));
}
