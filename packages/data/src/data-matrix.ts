import { InvalidArgumentError, describeValue } from './errors.js';

/**
 * A data set as a dense row-major float32 matrix: `rows` data points of `cols` features each.
 * Loaders and generators return this plain structure; the trainers turn it into tensors.
 */
export interface DataMatrix {
  readonly values: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/** Wraps and checks a row-major matrix: `values.length` must be `rows * cols`. */
export function dataMatrix(values: Float32Array, rows: number, cols: number): DataMatrix {
  if (!(values instanceof Float32Array)) throw new InvalidArgumentError('values', 'a Float32Array', describeValue(values));
  if (!Number.isInteger(rows) || rows < 0) throw new InvalidArgumentError('rows', 'a non-negative integer', describeValue(rows));
  if (!Number.isInteger(cols) || cols < 1) throw new InvalidArgumentError('cols', 'a positive integer', describeValue(cols));
  if (values.length !== rows * cols) {
    throw new InvalidArgumentError('values', `${rows} × ${cols} = ${rows * cols} numbers`, String(values.length));
  }
  return { values, rows, cols };
}

/** The row at `index` as a view (no copy). */
export function row(matrix: DataMatrix, index: number): Float32Array {
  return matrix.values.subarray(index * matrix.cols, (index + 1) * matrix.cols);
}
