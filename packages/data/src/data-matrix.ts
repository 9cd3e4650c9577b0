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
  if (!Number.isInteger(rows) || rows < 0) throw new Error(`rows: expected a non-negative integer, got ${String(rows)}`);
  if (!Number.isInteger(cols) || cols < 1) throw new Error(`cols: expected a positive integer, got ${String(cols)}`);
  if (values.length !== rows * cols) {
    throw new Error(`values: expected ${rows} × ${cols} = ${rows * cols} numbers, got ${values.length}`);
  }
  return { values, rows, cols };
}

/** The row at `index` as a view (no copy). */
export function row(matrix: DataMatrix, index: number): Float32Array {
  return matrix.values.subarray(index * matrix.cols, (index + 1) * matrix.cols);
}
