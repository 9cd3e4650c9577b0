import { type DataMatrix, dataMatrix } from '../data-matrix.js';
import { InvalidArgumentError } from '../errors.js';
import { checkMatrixFinite } from './check-matrix-finite.js';

/** Per-column minimum and maximum, fitted on one matrix and applicable to others (e.g. a test split). */
export interface MinMaxScaler {
  readonly min: Float32Array;
  readonly max: Float32Array;
}

/** Per-column minima and maxima of `matrix` (at least one row, finite values). */
export function fitMinMax(matrix: DataMatrix): MinMaxScaler {
  if (matrix.rows === 0) throw new InvalidArgumentError('matrix.rows', 'at least one row to fit on', '0');
  checkMatrixFinite(matrix, 'matrix');
  const min = new Float32Array(matrix.cols).fill(Infinity);
  const max = new Float32Array(matrix.cols).fill(-Infinity);
  for (let r = 0; r < matrix.rows; r++) {
    for (let c = 0; c < matrix.cols; c++) {
      const v = matrix.values[r * matrix.cols + c]!;
      if (v < min[c]!) min[c] = v;
      if (v > max[c]!) max[c] = v;
    }
  }
  return { min, max };
}

/**
 * Maps each column linearly so the fitted range becomes [0, 1]: `(x − min) / (max − min)`. A constant
 * column (max = min) maps to 0, as scikit-learn's MinMaxScaler does, instead of dividing by zero.
 * Values outside the fitted range (a test split) map outside [0, 1]. Returns a new matrix.
 */
export function applyMinMax(matrix: DataMatrix, scaler: MinMaxScaler): DataMatrix {
  if (scaler.min.length !== matrix.cols || scaler.max.length !== matrix.cols) {
    throw new InvalidArgumentError('scaler', `min/max of length ${matrix.cols} (the matrix's columns)`, `length ${scaler.min.length}`);
  }
  const out = new Float32Array(matrix.values.length);
  for (let r = 0; r < matrix.rows; r++) {
    for (let c = 0; c < matrix.cols; c++) {
      const range = scaler.max[c]! - scaler.min[c]!;
      const i = r * matrix.cols + c;
      out[i] = range > 0 ? (matrix.values[i]! - scaler.min[c]!) / range : 0;
    }
  }
  return dataMatrix(out, matrix.rows, matrix.cols);
}

/** Scales every column of `matrix` to [0, 1] (fit and apply); returns the scaled matrix and the scaler. */
export function minMaxScale(matrix: DataMatrix): { data: DataMatrix; scaler: MinMaxScaler } {
  const scaler = fitMinMax(matrix);
  return { data: applyMinMax(matrix, scaler), scaler };
}
