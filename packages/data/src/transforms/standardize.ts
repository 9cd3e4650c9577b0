import { type DataMatrix, dataMatrix } from '../data-matrix.js';
import { InvalidArgumentError } from '../errors.js';
import { checkMatrixFinite } from './check-matrix-finite.js';

/** Per-column mean and standard deviation, fitted on one matrix and applicable to others. */
export interface Standardizer {
  readonly mean: Float64Array;
  /** Population standard deviation (divisor n, as scikit-learn's StandardScaler). */
  readonly std: Float64Array;
}

/**
 * How {@link fitStandardizer} scales the centred columns.
 * - `'per-column'`: each column by its own standard deviation (every column then has variance 1).
 * - `'shared'`: every column by one number, the root mean square of the columns' standard deviations
 *   (`√(Σ_d s_d²/D)`). One scale for all columns keeps an isotropic noise model isotropic: a Gaussian decoder
 *   `N(μ(z), σ²I)` fitted to the scaled data is the model `N(m + s·μ(z), s²σ² I)` of the original data, so the
 *   model family (and its maximum likelihood, e.g. probabilistic PCA's) is unchanged, only the units move.
 *   Per-column scales turn `σ²I` into `diag(σ² s_d²)`, a different model.
 */
export type StandardizerScale = 'per-column' | 'shared';

/** Options of {@link fitStandardizer}. */
export interface FitStandardizerOptions {
  /** Default `'per-column'`. */
  scale?: StandardizerScale;
}

/**
 * Per-column means and (population) standard deviations, accumulated in float64 (two passes); with
 * `scale: 'shared'` every `std` entry is their root mean square instead (see {@link StandardizerScale}).
 */
export function fitStandardizer(matrix: DataMatrix, options: FitStandardizerOptions = {}): Standardizer {
  const scale = options.scale ?? 'per-column';
  if (scale !== 'per-column' && scale !== 'shared') throw new InvalidArgumentError('options.scale', "'per-column' or 'shared'", String(scale));
  if (matrix.rows === 0) throw new InvalidArgumentError('matrix.rows', 'at least one row to fit on', '0');
  checkMatrixFinite(matrix, 'matrix');
  const { rows, cols, values } = matrix;
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c]! += values[r * cols + c]!;
  for (let c = 0; c < cols; c++) mean[c]! /= rows;
  const std = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) std[c]! += (values[r * cols + c]! - mean[c]!) ** 2;
  for (let c = 0; c < cols; c++) std[c] = Math.sqrt(std[c]! / rows);
  if (scale === 'shared') {
    let sum = 0;
    for (const s of std) sum += s * s;
    std.fill(Math.sqrt(sum / cols));
  }
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
