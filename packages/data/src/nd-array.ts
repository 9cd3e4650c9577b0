import { type DataMatrix, dataMatrix } from './data-matrix.js';
import { InvalidArgumentError, describeValue } from './errors.js';

/**
 * An n-dimensional array as read from IDX or NPY files: C-order (row-major) float32 values and a shape.
 * The first axis indexes data points; {@link flatten} turns it into a {@link DataMatrix}.
 */
export interface NdArray {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/**
 * Flattens every data point (everything after the first axis) into one row: shape `[n, a, b, …]`
 * becomes an `n × (a·b·…)` matrix (e.g. 28 × 28 images → 784 columns); shape `[n]` becomes `n × 1`.
 * No copy: the matrix shares the values.
 */
export function flatten(array: NdArray): DataMatrix {
  if (array.shape.length === 0) throw new InvalidArgumentError('array.shape', 'at least one axis (data points)', '[] (a scalar)');
  const rows = array.shape[0]!;
  const cols = array.shape.slice(1).reduce((a, b) => a * b, 1);
  if (cols === 0) throw new InvalidArgumentError('array.shape', 'no zero-length axis after the first', describeValue([...array.shape]));
  return dataMatrix(array.values, rows, cols);
}
