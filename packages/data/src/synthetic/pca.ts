import { type DataMatrix, dataMatrix } from '../data-matrix.js';
import { SeededRandom } from '../random.js';

/** Options of {@link generatePca}; defaults are the paper's (spec §4.1). */
export interface PcaOptions {
  /** Number of data points. Default 10 000 (the paper's training-set size). */
  n?: number;
  /** Observed dimension D. Default 10. */
  dataDim?: number;
  /** Latent dimension H of the generating model. Default 2. */
  latentDim?: number;
  /** Standard deviation σ_gen of the isotropic observation noise. Default 0.1. */
  noiseStd?: number;
  /** Seed of the generator. Default 0. */
  seed?: number;
}

/** The generated points and the generating parameters (for ground-truth log-likelihoods). */
export interface PcaData {
  readonly data: DataMatrix;
  /** Generating loading matrix W_gen, D × H, row-major. */
  readonly loadings: DataMatrix;
  /** Generating mean μ_gen, length D. */
  readonly mean: Float32Array;
  readonly noiseStd: number;
}

function positiveInteger(value: number, argument: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${argument}: expected a positive integer, got ${String(value)}`);
  return value;
}

/**
 * The paper's linear Gaussian ("PCA") data: `W_gen ~ U[0,1]^{D×H}`, `μ_gen ~ U[0,1]^D`,
 * `z ~ N(0, I_H)`, `x = W_gen z + μ_gen + ε`, `ε ~ N(0, σ_gen² I_D)`. Deterministic for a seed.
 */
export function generatePca(options: PcaOptions = {}): PcaData {
  const n = positiveInteger(options.n ?? 10_000, 'n');
  const d = positiveInteger(options.dataDim ?? 10, 'dataDim');
  const h = positiveInteger(options.latentDim ?? 2, 'latentDim');
  const noiseStd = options.noiseStd ?? 0.1;
  if (!(noiseStd >= 0) || !Number.isFinite(noiseStd)) throw new Error(`noiseStd: expected a finite number ≥ 0, got ${String(noiseStd)}`);
  const rng = new SeededRandom(options.seed ?? 0);

  const w = new Float32Array(d * h);
  for (let i = 0; i < w.length; i++) w[i] = rng.uniform();
  const mu = new Float32Array(d);
  for (let i = 0; i < d; i++) mu[i] = rng.uniform();

  const x = new Float32Array(n * d);
  const z = new Float64Array(h);
  for (let row = 0; row < n; row++) {
    for (let j = 0; j < h; j++) z[j] = rng.normal();
    for (let i = 0; i < d; i++) {
      let value = mu[i]!;
      for (let j = 0; j < h; j++) value += w[i * h + j]! * z[j]!;
      x[row * d + i] = value + noiseStd * rng.normal();
    }
  }
  return { data: dataMatrix(x, n, d), loadings: dataMatrix(w, d, h), mean: mu, noiseStd };
}
