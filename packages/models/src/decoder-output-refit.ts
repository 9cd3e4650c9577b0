import { cholesky, forwardSubstitute } from './dense-linear-algebra.js';

/**
 * Centred least-squares statistics of one chunk of rows: the features φ (the decoder's last hidden layer at z ~ q)
 * and the targets x. Sums are centred on the chunk's own means, so that float32 cross-products on the device keep
 * their precision whatever the offsets; chunks are merged in float64 by {@link mergeLeastSquaresStatistics}.
 */
export interface LeastSquaresStatistics {
  /** Rows (samples × data points) in the chunk. */
  rows: number;
  /** Feature means, length F. */
  featureMean: Float64Array;
  /** Target means, length D. */
  targetMean: Float64Array;
  /** Σ (φ − φ̄)(φ − φ̄)ᵀ, F×F row-major. */
  featureScatter: Float64Array;
  /** Σ (φ − φ̄)(x − x̄)ᵀ, F×D row-major. */
  crossScatter: Float64Array;
  /** Σ ‖x − x̄‖². */
  targetScatter: number;
}

/** The statistics of the union of two disjoint chunks (Chan, Golub and LeVeque's pairwise update, in float64). */
export function mergeLeastSquaresStatistics(a: LeastSquaresStatistics, b: LeastSquaresStatistics): LeastSquaresStatistics {
  const f = a.featureMean.length;
  const d = a.targetMean.length;
  const rows = a.rows + b.rows;
  const weight = (a.rows * b.rows) / rows;
  const df = Float64Array.from(b.featureMean, (v, i) => v - a.featureMean[i]!);
  const dx = Float64Array.from(b.targetMean, (v, i) => v - a.targetMean[i]!);
  const featureScatter = new Float64Array(f * f);
  const crossScatter = new Float64Array(f * d);
  for (let i = 0; i < f; i++) {
    for (let j = 0; j < f; j++) featureScatter[i * f + j] = a.featureScatter[i * f + j]! + b.featureScatter[i * f + j]! + weight * df[i]! * df[j]!;
    for (let j = 0; j < d; j++) crossScatter[i * d + j] = a.crossScatter[i * d + j]! + b.crossScatter[i * d + j]! + weight * df[i]! * dx[j]!;
  }
  let targetScatter = a.targetScatter + b.targetScatter;
  for (let j = 0; j < d; j++) targetScatter += weight * dx[j]! * dx[j]!;
  return {
    rows,
    featureMean: Float64Array.from(a.featureMean, (v, i) => v + (df[i]! * b.rows) / rows),
    targetMean: Float64Array.from(a.targetMean, (v, j) => v + (dx[j]! * b.rows) / rows),
    featureScatter,
    crossScatter,
    targetScatter,
  };
}

/** Σ_rows ‖x − φW − b‖² of an affine map (W: F×D row-major, b: D) from the centred statistics, in float64. */
export function sumOfSquaredResiduals(stats: LeastSquaresStatistics, weight: Float64Array, bias: Float64Array): number {
  const f = stats.featureMean.length;
  const d = stats.targetMean.length;
  // ‖Xc − Φc W‖² + n‖x̄ − φ̄W − b‖², with ‖Xc − Φc W‖² = tr Sxx − 2 tr(Wᵀ Sφx) + tr(Wᵀ Sφφ W).
  let total = stats.targetScatter;
  for (let j = 0; j < d; j++) {
    let meanResidual = stats.targetMean[j]! - bias[j]!;
    for (let i = 0; i < f; i++) {
      const wij = weight[i * d + j]!;
      meanResidual -= stats.featureMean[i]! * wij;
      total -= 2 * wij * stats.crossScatter[i * d + j]!;
      let sw = 0;
      for (let k = 0; k < f; k++) sw += stats.featureScatter[i * f + k]! * weight[k * d + j]!;
      total += wij * sw;
    }
    total += stats.rows * meanResidual * meanResidual;
  }
  return Math.max(0, total);
}

/**
 * Relative ridge of the refit: λ = RIDGE · tr(Sφφ)/F, pulling W towards its current value. The feature scatter
 * comes from float32 products (relative precision about 1e-7), so directions with smaller curvature are noise;
 * the ridge keeps the current weights there (dead ReLU units, collinear features) instead of inventing large
 * ones, and makes the system positive definite. The residual still cannot rise (the current W is feasible).
 */
const RIDGE = 1e-7;

/**
 * The affine map minimising `Σ ‖x − φW − b‖² + λ‖W − W₀‖²` (normal equations `(Sφφ + λI) W = Sφx + λW₀`, solved
 * by Cholesky in float64; `b = x̄ − φ̄W`).
 */
export function leastSquaresAffineMap(stats: LeastSquaresStatistics, currentWeight: Float64Array): { weight: Float64Array; bias: Float64Array } {
  const f = stats.featureMean.length;
  const d = stats.targetMean.length;
  let trace = 0;
  for (let i = 0; i < f; i++) trace += stats.featureScatter[i * f + i]!;
  const lambda = RIDGE * Math.max(trace / f, Number.MIN_VALUE);
  const system = Float64Array.from(stats.featureScatter);
  for (let i = 0; i < f; i++) system[i * f + i]! += lambda;
  const l = cholesky(system, f);
  const weight = new Float64Array(f * d);
  const column = new Float64Array(f);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < f; i++) column[i] = stats.crossScatter[i * d + j]! + lambda * currentWeight[i * d + j]!;
    forwardSubstitute(l, f, column);
    for (let i = f - 1; i >= 0; i--) {
      let sum = column[i]!;
      for (let k = i + 1; k < f; k++) sum -= l[k * f + i]! * column[k]!;
      column[i] = sum / l[i * f + i]!;
    }
    for (let i = 0; i < f; i++) weight[i * d + j] = column[i]!;
  }
  const bias = Float64Array.from(stats.targetMean, (mean, j) => {
    let value = mean;
    for (let i = 0; i < f; i++) value -= stats.featureMean[i]! * weight[i * d + j]!;
    return value;
  });
  return { weight, bias };
}
