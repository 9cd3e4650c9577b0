import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@trientropy/distributions';

/**
 * A data matrix [N, D] as any of: a 2-D tensor, an array of rows, or a row-major `{ rows, cols, values }`
 * (the shape of `@trientropy/data`'s DataMatrix).
 */
export type MatrixInput = tf.Tensor2D | readonly (readonly number[])[] | { readonly rows: number; readonly cols: number; readonly values: ArrayLike<number> };

/** A row-major float64 copy of a matrix input. */
export interface Float64Matrix {
  rows: number;
  cols: number;
  values: Float64Array;
}

/** Copies `data` into float64 (reading a tensor back once), checking that every value is finite. */
export function toFloat64Matrix(data: MatrixInput, argument: string): Float64Matrix {
  let matrix: Float64Matrix;
  if (data instanceof tf.Tensor) {
    if (data.rank !== 2) throw new InvalidArgumentError(argument, 'a 2-D tensor [N, D]', `shape [${data.shape.join(', ')}]`);
    matrix = { rows: data.shape[0], cols: data.shape[1], values: Float64Array.from(data.dataSync()) };
  } else if (Array.isArray(data)) {
    const rows = data as readonly (readonly number[])[];
    const cols = rows[0]?.length ?? 0;
    if (!rows.every((r) => Array.isArray(r) && r.length === cols)) throw new InvalidArgumentError(argument, 'rows of equal length', 'rows of different lengths');
    matrix = { rows: rows.length, cols, values: Float64Array.from(rows.flat()) };
  } else {
    const m = data as { rows: number; cols: number; values: ArrayLike<number> };
    if (m.values.length !== m.rows * m.cols) throw new InvalidArgumentError(argument, `${m.rows} × ${m.cols} values`, `${m.values.length} values`);
    matrix = { rows: m.rows, cols: m.cols, values: Float64Array.from(m.values) };
  }
  if (matrix.rows < 1 || matrix.cols < 1) throw new InvalidArgumentError(argument, 'at least one row and one column', `[${matrix.rows}, ${matrix.cols}]`);
  if (!matrix.values.every(Number.isFinite)) throw new InvalidArgumentError(argument, 'finite values', 'a non-finite value');
  return matrix;
}
