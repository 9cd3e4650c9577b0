import { InvalidArgumentError, LOG_2PI } from '@trientropy/distributions';
import { cholesky, forwardSubstitute, symmetricEigen } from './dense-linear-algebra.js';
import { type Float64Matrix, type MatrixInput, toFloat64Matrix } from './matrix-input.js';

/** Parameters of probabilistic PCA, `x = W z + b + ε`, `z ~ N(0, I_H)`, `ε ~ N(0, σ² I_D)`. */
export interface PpcaParameters {
  /** W, D rows of H values. */
  weight: number[][];
  /** b, length D. */
  mean: number[];
  /** σ². */
  noiseVariance: number;
}

/** The pPCA maximum-likelihood solution for a data set and latent dimension H (Tipping & Bishop 1999). */
export interface PpcaSolution extends PpcaParameters {
  latentDim: number;
  /** Every eigenvalue of the 1/N-normalised sample covariance, descending (length D). */
  eigenvalues: number[];
  /** Maximum log-likelihood per data point, `−½[D log 2πe + Σ_{h≤H} log λ_h + (D − H) log σ²_ML]`. */
  logLikelihood: number;
}

function sampleMean(x: Float64Matrix): Float64Array {
  const mean = new Float64Array(x.cols);
  for (let n = 0; n < x.rows; n++) for (let d = 0; d < x.cols; d++) mean[d]! += x.values[n * x.cols + d]!;
  return mean.map((v) => v / x.rows);
}

/** `(1/N) Σ_n (x_n − b)(x_n − b)ᵀ`. */
function scatter(x: Float64Matrix, b: Float64Array): Float64Array {
  const d = x.cols;
  const s = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let n = 0; n < x.rows; n++) {
    for (let i = 0; i < d; i++) centred[i] = x.values[n * d + i]! - b[i]!;
    for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) s[i * d + j]! += centred[i]! * centred[j]!;
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      s[i * d + j]! /= x.rows;
      s[j * d + i] = s[i * d + j]!;
    }
  }
  return s;
}

/**
 * Closed-form maximum-likelihood pPCA (arXiv 2010.14860, linear-VAE section): `b = x̄`, `σ² = mean of the D − H smallest eigenvalues of S`,
 * `W = U_H (Λ_H − σ² I)^{1/2}` (rotation R = I; each eigenvector's largest entry made positive so the
 * result is deterministic), computed in float64. At this point a linear VAE's ELBO and entropy sum both
 * equal `logLikelihood` (arXiv 2010.14860, linear-VAE section).
 *
 * @param data - [N, D] data.
 * @param latentDim - H, with 1 ≤ H < D.
 */
export function ppcaMaximumLikelihood(data: MatrixInput, latentDim: number): PpcaSolution {
  const x = toFloat64Matrix(data, 'data');
  const d = x.cols;
  if (!Number.isInteger(latentDim) || latentDim < 1 || latentDim >= d) throw new InvalidArgumentError('latentDim', `an integer in [1, ${d - 1}] (below the data dimension ${d})`, String(latentDim));
  const mean = sampleMean(x);
  const { values, vectors } = symmetricEigen(scatter(x, mean), d);
  const eigenvalues = Array.from(values, (v) => Math.max(v, 0));
  const noiseVariance = eigenvalues.slice(latentDim).reduce((s, v) => s + v, 0) / (d - latentDim);
  if (!(noiseVariance > 0)) throw new InvalidArgumentError('data', `a sample covariance with more than ${latentDim} non-zero eigenvalues`, `eigenvalues [${eigenvalues.join(', ')}]`);
  const weight = Array.from({ length: d }, () => new Array<number>(latentDim).fill(0));
  for (let h = 0; h < latentDim; h++) {
    let largest = 0;
    for (let i = 0; i < d; i++) if (Math.abs(vectors[i * d + h]!) > Math.abs(vectors[largest * d + h]!)) largest = i;
    const sign = Math.sign(vectors[largest * d + h]!) || 1;
    const scale = Math.sqrt(Math.max(eigenvalues[h]! - noiseVariance, 0));
    for (let i = 0; i < d; i++) weight[i]![h] = sign * vectors[i * d + h]! * scale;
  }
  const logDetTerms = eigenvalues.slice(0, latentDim).reduce((s, v) => s + Math.log(v), 0);
  const logLikelihood = -0.5 * (d * (LOG_2PI + 1) + logDetTerms + (d - latentDim) * Math.log(noiseVariance));
  return { latentDim, eigenvalues, weight, mean: Array.from(mean), noiseVariance, logLikelihood };
}

/**
 * Exact log-likelihood per data point of pPCA parameters, `−½[D log 2π + log|C| + tr(C⁻¹ S_b)]` with
 * `C = W Wᵀ + σ² I` and `S_b = (1/N) Σ (x_n − b)(x_n − b)ᵀ`, through a float64 Cholesky factor of C.
 */
export function ppcaLogLikelihood(data: MatrixInput, parameters: PpcaParameters): number {
  const x = toFloat64Matrix(data, 'data');
  const d = x.cols;
  const { weight, mean, noiseVariance } = parameters;
  if (weight.length !== d || !weight.every((row) => row.length === weight[0]!.length)) throw new InvalidArgumentError('weight', `${d} rows of equal length`, `${weight.length} rows`);
  if (mean.length !== d) throw new InvalidArgumentError('mean', `length ${d}`, `length ${mean.length}`);
  if (!(noiseVariance > 0) || !Number.isFinite(noiseVariance)) throw new InvalidArgumentError('noiseVariance', 'a finite number > 0', String(noiseVariance));
  const c = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let sum = i === j ? noiseVariance : 0;
      for (let h = 0; h < weight[0]!.length; h++) sum += weight[i]![h]! * weight[j]![h]!;
      c[i * d + j] = sum;
    }
  }
  const l = cholesky(c, d);
  let logDet = 0;
  for (let i = 0; i < d; i++) logDet += 2 * Math.log(l[i * d + i]!);
  let quadratic = 0;
  for (let n = 0; n < x.rows; n++) {
    const y = Float64Array.from({ length: d }, (_, i) => x.values[n * d + i]! - mean[i]!);
    forwardSubstitute(l, d, y);
    for (let i = 0; i < d; i++) quadratic += y[i]! ** 2;
  }
  return -0.5 * (d * LOG_2PI + logDet + quadratic / x.rows);
}
