import { type DataMatrix, dataMatrix } from '../data-matrix.js';
import { checkInteger, checkNonNegative, checkSeed } from '../errors.js';
import { checkGeneratedSize } from './size-limit.js';
import { SeededRandom } from '../random.js';

/** Options of {@link generatePca} and {@link generatePcaRing}; defaults are the paper's (arXiv 2010.14860, verification experiments). */
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

/**
 * Shared by the PCA and PCA-ring generators (the paper draws W, μ and the noise the same way for both;
 * only the latent draw differs). `transformLatent` rewrites z in place.
 */
function generateLinearGaussian(options: PcaOptions, transformLatent: ((z: Float64Array) => void) | undefined): PcaData {
  const n = checkInteger(options.n ?? 10_000, 'options.n', 1);
  const d = checkInteger(options.dataDim ?? 10, 'options.dataDim', 1);
  const h = checkInteger(options.latentDim ?? 2, 'options.latentDim', 1);
  const noiseStd = checkNonNegative(options.noiseStd ?? 0.1, 'options.noiseStd');
  checkGeneratedSize(n, d, 'options.n');
  const rng = new SeededRandom(checkSeed(options.seed ?? 0, 'options.seed'));

  const w = new Float32Array(d * h);
  for (let i = 0; i < w.length; i++) w[i] = rng.uniform();
  const mu = new Float32Array(d);
  for (let i = 0; i < d; i++) mu[i] = rng.uniform();

  const x = new Float32Array(n * d);
  const z = new Float64Array(h);
  for (let row = 0; row < n; row++) {
    for (let j = 0; j < h; j++) z[j] = rng.normal();
    transformLatent?.(z);
    for (let i = 0; i < d; i++) {
      let value = mu[i]!;
      for (let j = 0; j < h; j++) value += w[i * h + j]! * z[j]!;
      x[row * d + i] = value + noiseStd * rng.normal();
    }
  }
  return { data: dataMatrix(x, n, d), loadings: dataMatrix(w, d, h), mean: mu, noiseStd };
}

/**
 * The paper's linear Gaussian ("PCA") data: `W_gen ~ U[0,1]^{D×H}`, `μ_gen ~ U[0,1]^D`,
 * `z ~ N(0, I_H)`, `x = W_gen z + μ_gen + ε`, `ε ~ N(0, σ_gen² I_D)`. Deterministic for a seed.
 */
export function generatePca(options: PcaOptions = {}): PcaData {
  return generateLinearGaussian(options, undefined);
}

/**
 * The paper's PCA-ring data (arXiv 2010.14860, verification experiments, `generate_PCA_ring_data`): as {@link generatePca}, but each latent
 * draw is moved close to the unit sphere, `z ← z/10 + z/‖z‖` (a ring of radius 1 with radial jitter
 * 0.1·‖z‖ in the default 2-D latent space), before `x = W_gen z + μ_gen + ε`. Same W, μ, σ generation.
 */
export function generatePcaRing(options: PcaOptions = {}): PcaData {
  return generateLinearGaussian(options, (z) => {
    let norm = 0;
    for (const v of z) norm += v * v;
    norm = Math.sqrt(norm);
    // ‖z‖ = 0 has probability zero for continuous draws; keep z = 0 rather than divide by zero.
    const scale = norm > 0 ? 0.1 + 1 / norm : 0;
    for (let j = 0; j < z.length; j++) z[j]! *= scale;
  });
}

