import { type DataMatrix, dataMatrix } from '../data-matrix.js';
import { InvalidArgumentError, checkInteger, checkNonNegative, checkSeed } from '../errors.js';
import { checkGeneratedSize } from './size-limit.js';
import { SeededRandom } from '../random.js';

/** Options of {@link generateManifold}; defaults are the paper's (arXiv 2010.14860, experiments: k = 10, D = 100, no noise). */
export interface ManifoldOptions {
  /** Number of points. Default 50 000. */
  n?: number;
  /** Intrinsic dimension k. Default 10. */
  intrinsicDim?: number;
  /** Ambient dimension D > k. Default 100. */
  dataDim?: number;
  /** Standard deviation of additive Gaussian noise; default 0 (the paper adds none). */
  noiseStd?: number;
  /** Seed of the generator. Default 0. */
  seed?: number;
}

/** The points and the index pairs that define the extra coordinates. */
export interface ManifoldData {
  readonly data: DataMatrix;
  /** For each extra coordinate `k + e`: the pair `(j1, j2)` of base coordinates, length 2(D − k). */
  readonly pairs: Int32Array;
}

/**
 * The paper's `manifold(k, D)` (arXiv 2010.14860, experiments): a k-dimensional manifold in D dimensions. Base coordinates
 * `u = 0.35 · N(0, I_k) − 0.175` are the first k columns; each of the D − k extra columns is
 * `0.35 · cos(u_{j1}² + u_{j2}²)` with `j1, j2` drawn uniformly from {0..k−1} (with replacement) once per
 * column (the same for all points). No noise unless `noiseStd` > 0.
 */
export function generateManifold(options: ManifoldOptions = {}): ManifoldData {
  const n = checkInteger(options.n ?? 50_000, 'options.n', 1);
  const k = checkInteger(options.intrinsicDim ?? 10, 'options.intrinsicDim', 1);
  const d = checkInteger(options.dataDim ?? 100, 'options.dataDim', 1);
  if (d <= k) throw new InvalidArgumentError('options.dataDim', `an integer > intrinsicDim (${k})`, String(d));
  const noiseStd = checkNonNegative(options.noiseStd ?? 0, 'options.noiseStd');
  const rng = new SeededRandom(checkSeed(options.seed ?? 0, 'options.seed'));
  const pairs = new Int32Array(2 * (d - k));
  for (let i = 0; i < pairs.length; i++) pairs[i] = rng.integer(k);
  checkGeneratedSize(n, d, 'options.n');
  const values = new Float32Array(n * d);
  const u = new Float64Array(k);
  for (let r = 0; r < n; r++) {
    const base = r * d;
    for (let j = 0; j < k; j++) {
      u[j] = 0.35 * rng.normal() - 0.175;
      values[base + j] = u[j]!;
    }
    for (let e = 0; e < d - k; e++) {
      const a = u[pairs[2 * e]!]!;
      const b = u[pairs[2 * e + 1]!]!;
      values[base + k + e] = 0.35 * Math.cos(a * a + b * b);
    }
    if (noiseStd > 0) for (let c = 0; c < d; c++) values[base + c]! += noiseStd * rng.normal();
  }
  return { data: dataMatrix(values, n, d), pairs };
}
