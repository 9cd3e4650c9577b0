/**
 * How the parameters of a linear VAE / pPCA model with D observed and H latent dimensions are counted in the BIC.
 * - `'paper'`: `k = H·D + 1`, the authors' streaming code (arXiv 2010.14860, streaming linear-VAE experiment and model-selection application): the decoder weights and σ².
 * - `'ppca'`: the textbook pPCA count `D·H + 1 + D − H(H−1)/2` (weights, σ², mean, minus the rotation freedom).
 */
export type BicParameterCount = 'paper' | 'ppca';

/** The number of free parameters k of the BIC for D observed and H latent dimensions (see {@link BicParameterCount}). */
export function linearVaeParameterCount(dataDim: number, latentDim: number, count: BicParameterCount = 'paper'): number {
  if (!Number.isInteger(dataDim) || dataDim < 1) throw new Error(`dataDim: expected a positive integer, got ${String(dataDim)}`);
  if (!Number.isInteger(latentDim) || latentDim < 1) throw new Error(`latentDim: expected a positive integer, got ${String(latentDim)}`);
  if (count === 'paper') return latentDim * dataDim + 1;
  if (count === 'ppca') return dataDim * latentDim + 1 + dataDim - (latentDim * (latentDim - 1)) / 2;
  throw new Error(`count: expected 'paper' or 'ppca', got ${String(count)}`);
}

/**
 * Bayesian information criterion `BIC = k·ln(n) − 2·L` (lower is better) for a log-likelihood `L` summed over the
 * data it was computed on, `k` free parameters and `n` data points.
 */
export function bayesianInformationCriterion(logLikelihood: number, parameters: number, points: number): number {
  if (!Number.isFinite(logLikelihood)) throw new Error(`logLikelihood: expected a finite number, got ${String(logLikelihood)}`);
  if (!(parameters >= 0) || !Number.isFinite(parameters)) throw new Error(`parameters: expected a finite number ≥ 0, got ${String(parameters)}`);
  if (!Number.isInteger(points) || points < 1) throw new Error(`points: expected a positive integer, got ${String(points)}`);
  return parameters * Math.log(points) - 2 * logLikelihood;
}
