import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, LOG_2PI, defineClassId } from '@trientropy/distributions';
import { checkBatch } from './batch-checks.js';
import { checkFinite, checkInteger } from './config-checks.js';
import { MODEL_SIZE_LIMITS, checkDimension, checkParameterCount } from './size-limits.js';
import { inverseSpd } from './dense-linear-algebra.js';
import { LinearGaussianEncoder } from './linear-gaussian-encoder.js';
import type { MatrixInput } from './matrix-input.js';
import { Mlp } from './mlp.js';
import { type PpcaParameters, ppcaLogLikelihood } from './ppca.js';
import { ScalarGaussianVae } from './scalar-gaussian-vae.js';
import { uniqueScope } from './unique-name.js';
import type { ElboTerms, OptimalVarianceOptions, OptimalVariances } from './vae-terms.js';

/** Configuration of {@link LinearVae}. */
export interface LinearVaeConfig {
  /** Observed dimension D. */
  dataDim: number;
  /** Latent dimension H. */
  latentDim: number;
  /** Initial log τ_h² of the encoder, the same for every h. Default 0. */
  initialEncoderLogVariance?: number;
  /** Initial log σ² of the decoder. Default 0. */
  initialLogDecoderVariance?: number;
  /** Seed of the weight initialisation. Default 0. */
  seed?: number;
}

/** All parameters of a linear VAE in the paper's orientation (column vectors). */
export interface LinearVaeParameters extends PpcaParameters {
  /** Encoder mean weight V, H rows of D values: ν(x) = V x + c. */
  encoderWeight: number[][];
  /** Encoder mean bias c, length H. */
  encoderBias: number[];
  /** log τ_h², length H (shared by all data points). */
  encoderLogVariance: number[];
}

/**
 * The linear VAE of the paper (arXiv 2010.14860, linear-VAE section): `ν(x) = V x + c`, data-independent τ_h², decoder `N(W z + b, σ² I)`, prior
 * N(0, I). Its decoder is probabilistic PCA, and at the pPCA maximum-likelihood point (see
 * {@link setPpcaSolution}) the variational posterior is exact, so ELBO = entropy sum = pPCA log-likelihood.
 * Besides the Monte-Carlo {@link elbo} it has the sampling-free {@link exactElbo}.
 */
export class LinearVae extends ScalarGaussianVae {
  static {
    defineClassId(this, '@trientropy/models:LinearVae'); // instanceof across the ESM and CJS builds (see VaeBase)
  }

  readonly kind = 'linear' as const;
  readonly decoderVarianceType = 'learnable' as const;
  readonly config: Readonly<Required<LinearVaeConfig>>;
  readonly encoder: LinearGaussianEncoder;

  constructor(config: LinearVaeConfig) {
    if (typeof config !== 'object' || config === null) throw new InvalidArgumentError('config', 'an object', String(config));
    const resolved: Required<LinearVaeConfig> = {
      dataDim: checkDimension(config.dataDim, 'dataDim', MODEL_SIZE_LIMITS.dataDim),
      latentDim: checkDimension(config.latentDim, 'latentDim', MODEL_SIZE_LIMITS.latentDim),
      initialEncoderLogVariance: checkFinite(config.initialEncoderLogVariance ?? 0, 'initialEncoderLogVariance'),
      initialLogDecoderVariance: checkFinite(config.initialLogDecoderVariance ?? 0, 'initialLogDecoderVariance'),
      seed: checkInteger(config.seed ?? 0, 'seed'),
    };
    checkParameterCount(2 * resolved.dataDim * resolved.latentDim, `dataDim ${resolved.dataDim}, latentDim ${resolved.latentDim}`);
    const scope = uniqueScope('linear_vae');
    const encoder = new LinearGaussianEncoder({ dataDim: resolved.dataDim, latentDim: resolved.latentDim, logVarianceInit: resolved.initialEncoderLogVariance, seed: resolved.seed, name: `${scope}/encoder` });
    super({
      dataDim: resolved.dataDim,
      latentDim: resolved.latentDim,
      encoder,
      decoderMean: new Mlp({ inputSize: resolved.latentDim, hiddenSizes: [], outputSize: resolved.dataDim, activation: 'linear', seed: resolved.seed + 100, name: `${scope}/decoder` }),
      initialLogDecoderVariance: resolved.initialLogDecoderVariance,
      learnableDecoderVariance: true,
      scope,
    });
    this.config = resolved;
    this.encoder = encoder;
  }

  private get decoderLayer() {
    return this.decoderMean.layers[0]!;
  }

  /** R computed exactly: `mean_n ‖x_n − Wν_n − b‖² + Σ_h τ_h² ‖W_h‖²`. */
  private exactSquaredError(batch: tf.Tensor2D, mean: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => {
      const residual = tf.sub(batch, this.decoderMean.apply(mean));
      const spread = tf.sum(tf.mul(tf.exp(this.encoder.logVariance), tf.sum(tf.square(this.decoderLayer.weight), 1)));
      return tf.add(tf.mean(tf.sum(tf.square(residual), 1)), spread) as tf.Scalar;
    });
  }

  /**
   * The ELBO without sampling (arXiv 2010.14860, linear-VAE section): `−(D/2) log(2πσ²) − R/(2σ²) − KL` with R in closed form
   * (`mean_n ‖x_n − Wν_n − b‖² + Σ_h τ_h²‖W_h‖²`). Differentiable; a noise-free training objective.
   */
  exactElbo(x: tf.Tensor): ElboTerms {
    const batch = checkBatch(x, this.dataDim);
    return tf.tidy(() => {
      const encoded = this.encoder.encode(batch);
      const squaredError = this.exactSquaredError(batch, encoded.mean);
      const expectedLogLikelihood = tf.sub(
        tf.mul(tf.add(this.logDecoderVariance, LOG_2PI), -0.5 * this.dataDim),
        tf.mul(tf.exp(tf.neg(this.logDecoderVariance)), tf.mul(squaredError, 0.5)),
      ) as tf.Scalar;
      const kl = this.klOf(encoded);
      return { elbo: tf.sub(expectedLogLikelihood, kl) as tf.Scalar, expectedLogLikelihood, kl, squaredError };
    });
  }

  /** `{ decoderVariance: R/D }` with R computed exactly over all of `x` (the Monte-Carlo options are not used). */
  override optimalVariances(x: tf.Tensor, _options: OptimalVarianceOptions): OptimalVariances {
    const batch = checkBatch(x, this.dataDim);
    const r = tf.tidy(() => this.exactSquaredError(batch, this.encoder.encode(batch).mean));
    const value = r.dataSync()[0]!;
    r.dispose();
    if (!Number.isFinite(value)) throw new InvalidArgumentError('x', 'data with a finite reconstruction error R', String(value));
    return { decoderVariance: value / this.dataDim };
  }

  /** Reads every parameter back, in the paper's orientation. */
  parameters(): LinearVaeParameters {
    const read = (t: tf.Tensor): number[] => Array.from(t.dataSync());
    const wt = this.decoderLayer.weight.arraySync() as number[][]; // [H, D]
    const vt = this.encoder.mean.weight.arraySync() as number[][]; // [D, H]
    return {
      weight: Array.from({ length: this.dataDim }, (_, d) => wt.map((row) => row[d]!)),
      mean: read(this.decoderLayer.bias),
      noiseVariance: Math.exp(read(this.logDecoderVariance)[0]!),
      encoderWeight: Array.from({ length: this.latentDim }, (_, h) => vt.map((row) => row[h]!)),
      encoderBias: read(this.encoder.mean.bias),
      encoderLogVariance: read(this.encoder.logVariance),
    };
  }

  /** Sets every parameter (paper orientation: W is D×H, V is H×D). */
  setParameters(p: LinearVaeParameters): void {
    const { dataDim: d, latentDim: h } = this;
    const matrix = (m: number[][], rows: number, cols: number, name: string): number[][] => {
      if (m.length !== rows || !m.every((r) => r.length === cols && r.every(Number.isFinite))) throw new InvalidArgumentError(name, `${rows} rows of ${cols} finite numbers`, `${m.length} rows`);
      return m;
    };
    const vector = (v: number[], length: number, name: string): number[] => {
      if (v.length !== length || !v.every(Number.isFinite)) throw new InvalidArgumentError(name, `${length} finite numbers`, `${v.length} values`);
      return v;
    };
    const w = matrix(p.weight, d, h, 'weight');
    const v = matrix(p.encoderWeight, h, d, 'encoderWeight');
    const b = vector(p.mean, d, 'mean');
    const c = vector(p.encoderBias, h, 'encoderBias');
    const logTau2 = vector(p.encoderLogVariance, h, 'encoderLogVariance');
    this.setDecoderVariance(p.noiseVariance);
    tf.tidy(() => {
      this.decoderLayer.weight.assign(tf.transpose(tf.tensor2d(w, [d, h], 'float32')));
      this.decoderLayer.bias.assign(tf.tensor1d(b, 'float32'));
      this.encoder.mean.weight.assign(tf.transpose(tf.tensor2d(v, [h, d], 'float32')));
      this.encoder.mean.bias.assign(tf.tensor1d(c, 'float32'));
      this.encoder.logVariance.assign(tf.tensor1d(logTau2, 'float32'));
    });
  }

  /**
   * Sets the decoder to pPCA parameters (W, b, σ²) and the encoder to its optimum for them (arXiv 2010.14860, linear-VAE section):
   * `ν(x) = M⁻¹Wᵀ(x − b)` with `M = WᵀW + σ²I`, and `τ_h² = σ²/(σ² + ‖W_h‖²)`. For the maximum-likelihood
   * solution this is the exact posterior, so the ELBO equals the pPCA log-likelihood.
   */
  setPpcaSolution(solution: PpcaParameters): void {
    const { dataDim: d, latentDim: h } = this;
    const { weight: w, mean: b, noiseVariance: s2 } = solution;
    if (w.length !== d || !w.every((r) => r.length === h)) throw new InvalidArgumentError('solution.weight', `${d} rows of ${h} values`, `${w.length} rows of ${w[0]?.length ?? 0}`);
    const m = new Float64Array(h * h);
    for (let i = 0; i < h; i++) for (let j = 0; j < h; j++) m[i * h + j] = w.reduce((s, row) => s + row[i]! * row[j]!, i === j ? s2 : 0);
    const mInverse = inverseSpd(m, h);
    const encoderWeight = Array.from({ length: h }, (_, i) => Array.from({ length: d }, (_, k) => w[k]!.reduce((s, wk, j) => s + mInverse[i * h + j]! * wk, 0)));
    const encoderBias = encoderWeight.map((row) => -row.reduce((s, vik, k) => s + vik * b[k]!, 0));
    const encoderLogVariance = Array.from({ length: h }, (_, i) => Math.log(s2 / (s2 + w.reduce((s, row) => s + row[i]! ** 2, 0))));
    this.setParameters({ weight: w, mean: b, noiseVariance: s2, encoderWeight, encoderBias, encoderLogVariance });
  }

  /**
   * Sets the encoder to its exact optimum for the current decoder (arXiv 2010.14860, linear-VAE section): `ν(x) = M⁻¹Wᵀ(x − b)`,
   * `τ_h² = σ²/(σ² + ‖W_h‖²)`. A closed-form coordinate-ascent step: the ELBO cannot decrease. Reads the
   * parameters back once.
   */
  setOptimalEncoder(): void {
    this.setPpcaSolution(this.parameters());
  }

  /** Exact marginal log-likelihood per data point of `data` under the current decoder (pPCA, float64). */
  logLikelihood(data: MatrixInput): number {
    return ppcaLogLikelihood(data, this.parameters());
  }
}
