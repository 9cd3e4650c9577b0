import { type DataMatrix, dataMatrix } from '../data-matrix.js';
import { InvalidArgumentError } from '../errors.js';
import { checkMatrixFinite } from './check-matrix-finite.js';

/** Per-column mean and standard deviation, fitted on one matrix and applicable to others. */
export interface Standardizer {
  readonly mean: Float64Array;
  /** Population standard deviation (divisor n, as scikit-learn's StandardScaler). */
  readonly std: Float64Array;
}

/** Per-column means and (population) standard deviations, accumulated in float64 (two passes). */
export function fitStandardizer(matrix: DataMatrix): Standardizer {
  if (matrix.rows === 0) throw new InvalidArgumentError('matrix.rows', 'at least one row to fit on', '0');
  checkMatrixFinite(matrix, 'matrix');
  const { rows, cols, values } = matrix;
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c]! += values[r * cols + c]!;
  for (let c = 0; c < cols; c++) mean[c]! /= rows;
  const std = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) std[c]! += (values[r * cols + c]! - mean[c]!) ** 2;
  for (let c = 0; c < cols; c++) std[c] = Math.sqrt(std[c]! / rows);
  return { mean, std };
}

/**
 * `(x − mean) / std` per column. A constant column (std = 0) is only centred (divided by 1, as
 * scikit-learn does) so no NaN or ∞ appears. Returns a new matrix.
 */
export function applyStandardizer(matrix: DataMatrix, standardizer: Standardizer): DataMatrix {
  if (standardizer.mean.length !== matrix.cols || standardizer.std.length !== matrix.cols) {
    throw new InvalidArgumentError('standardizer', `mean/std of length ${matrix.cols} (the matrix's columns)`, `length ${standardizer.mean.length}`);
  }
  const out = new Float32Array(matrix.values.length);
  for (let r = 0; r < matrix.rows; r++) {
    for (let c = 0; c < matrix.cols; c++) {
      const i = r * matrix.cols + c;
      const s = standardizer.std[c]!;
      out[i] = (matrix.values[i]! - standardizer.mean[c]!) / (s > 0 ? s : 1);
    }
  }
  return dataMatrix(out, matrix.rows, matrix.cols);
}

/** Standardises every column to mean 0 and standard deviation 1 (fit and apply). */
export function standardize(matrix: DataMatrix): { data: DataMatrix; standardizer: Standardizer } {
  const standardizer = fitStandardizer(matrix);
  return { data: applyStandardizer(matrix, standardizer), standardizer };
}
