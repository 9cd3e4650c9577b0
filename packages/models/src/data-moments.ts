import { type MatrixInput, toFloat64Matrix } from './matrix-input.js';

/** The first two sample moments of a data set, in float64: all the linear VAE's exact ELBO depends on. */
export interface DataMoments {
  /** Rows N. */
  rows: number;
  /** Columns D. */
  cols: number;
  /** x̄, length D. */
  mean: Float64Array;
  /** `S = (1/N) Σ_n (x_n − x̄)(x_n − x̄)ᵀ`, D × D row-major. */
  covariance: Float64Array;
}

/** Sample mean and 1/N-normalised covariance of `data` in float64 (two passes; reads a tensor back once). */
export function dataMoments(data: MatrixInput): DataMoments {
  const x = toFloat64Matrix(data, 'data');
  const { rows, cols: d, values } = x;
  const mean = new Float64Array(d);
  for (let n = 0; n < rows; n++) for (let i = 0; i < d; i++) mean[i]! += values[n * d + i]!;
  for (let i = 0; i < d; i++) mean[i]! /= rows;
  const covariance = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let n = 0; n < rows; n++) {
    for (let i = 0; i < d; i++) centred[i] = values[n * d + i]! - mean[i]!;
    for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) covariance[i * d + j]! += centred[i]! * centred[j]!;
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      covariance[i * d + j]! /= rows;
      covariance[j * d + i] = covariance[i * d + j]!;
    }
  }
  return { rows, cols: d, mean, covariance };
}
