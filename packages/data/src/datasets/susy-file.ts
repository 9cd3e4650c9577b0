import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DataMatrix } from '../data-matrix.js';
import { DataFormatError } from '../errors.js';
import { readCsv } from '../csv/read-csv.js';
import { SeededRandom } from '../random.js';
import { minMaxScale } from '../transforms/min-max-scale.js';
import { trainTestSplit } from '../transforms/train-test-split.js';

/** Rows of SUSY the paper uses (the first half of the 5 000 000, arXiv 2010.14860, experiments). */
export const SUSY_PAPER_ROWS = 2_500_000;

const FILE_NAMES = ['SUSY.csv.gz', 'SUSY.csv', 'susy.csv.gz', 'susy.csv'];

/** The SUSY file in `dataDir` or `dataDir/susy`, if there is one. */
export function findSusyFile(dataDir: string): string | undefined {
  for (const dir of [dataDir, join(dataDir, 'susy')]) {
    for (const name of FILE_NAMES) {
      const path = join(dir, name);
      if (existsSync(path) && statSync(path).isFile()) return path;
    }
  }
  return undefined;
}

/**
 * The paper's SUSY pipeline (arXiv 2010.14860, experiments, `DatasetSUSY`): the first `rows` rows of UCI's `SUSY.csv(.gz)`
 * (no header; column 0 is the label and is dropped, 18 features stay), min-max scaled to [0, 1] per
 * feature (fitted on those rows), then a seeded 50/50 train/test split. Everything is held in memory
 * (2 500 000 × 18 float32 = 180 MB per copy); to train on more rows than fit, stream the file with
 * `csvBatches` instead.
 */
export async function loadSusy(dataDir: string | undefined, rows: number, seed: number): Promise<{ train: DataMatrix; test: DataMatrix; path: string }> {
  const howToGet = `download SUSY.csv.gz from the UCI Machine Learning Repository (data set 279, "SUSY") into a directory and pass it as --data-dir (dataDir)`;
  if (dataDir === undefined) throw new DataFormatError('susy', undefined, `no --data-dir given; ${howToGet}`);
  const path = findSusyFile(dataDir);
  if (path === undefined) {
    throw new DataFormatError('susy', undefined, `none of ${FILE_NAMES.join(', ')} in ${dataDir} or ${join(dataDir, 'susy')}; ${howToGet}`);
  }
  const raw = await readCsv(path, { header: false, dropColumns: [0], maxRows: rows });
  if (raw.cols !== 18) throw new DataFormatError(path, undefined, `expected 19 columns (a label and 18 features), found ${raw.cols + 1}`);
  const { data } = minMaxScale(raw);
  const { train, test } = trainTestSplit(data, { testFraction: 0.5, seed: new SeededRandom(seed).nextSeed() });
  return { train, test, path };
}
