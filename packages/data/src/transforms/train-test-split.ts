import { type DataMatrix, dataMatrix } from '../data-matrix.js';
import { InvalidArgumentError, checkSeed, describeValue } from '../errors.js';
import { SeededRandom } from '../random.js';

/** Options of {@link trainTestSplit}. */
export interface SplitOptions {
  /** Fraction of rows in the test part, in (0, 1). Default 0.5 (the paper's toy and SUSY splits). */
  testFraction?: number;
  /** Shuffle before splitting. Default true. */
  shuffle?: boolean;
  /** Seed of the shuffle. Default 0. */
  seed?: number;
}

/** Copies the rows at `indices` (in that order) into a new matrix. */
export function selectRows(matrix: DataMatrix, indices: ArrayLike<number>): DataMatrix {
  const { cols } = matrix;
  const out = new Float32Array(indices.length * cols);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i]!;
    if (!Number.isInteger(r) || r < 0 || r >= matrix.rows) throw new InvalidArgumentError(`indices[${i}]`, `a row index in [0, ${matrix.rows - 1}]`, describeValue(r));
    out.set(matrix.values.subarray(r * cols, (r + 1) * cols), i * cols);
  }
  return dataMatrix(out, indices.length, cols);
}

/**
 * Splits rows into a training and a test part: `ceil(rows · testFraction)` test rows (as scikit-learn), the rest for
 * training, after a seeded shuffle unless `shuffle` is false (then the test part is the last rows).
 * Deterministic for a seed; both parts must be non-empty.
 */
export function trainTestSplit(matrix: DataMatrix, options: SplitOptions = {}): { train: DataMatrix; test: DataMatrix } {
  const fraction = options.testFraction ?? 0.5;
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1)) {
    throw new InvalidArgumentError('options.testFraction', 'a number in (0, 1)', describeValue(fraction));
  }
  // ceil for the test part, as scikit-learn's train_test_split (which the paper's code calls).
  const testRows = Math.ceil(matrix.rows * fraction);
  if (testRows < 1 || testRows >= matrix.rows) {
    throw new InvalidArgumentError('matrix.rows', `enough rows for a non-empty train and test part at testFraction ${fraction}`, String(matrix.rows));
  }
  const order = options.shuffle === false ? Int32Array.from({ length: matrix.rows }, (_, i) => i) : new SeededRandom(checkSeed(options.seed ?? 0, 'options.seed')).permutation(matrix.rows);
  const trainRows = matrix.rows - testRows;
  return { train: selectRows(matrix, order.subarray(0, trainRows)), test: selectRows(matrix, order.subarray(trainRows)) };
}
