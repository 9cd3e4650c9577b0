import * as tf from '@tensorflow/tfjs-core';
import { defineClassId, deriveSeed, InvalidArgumentError, LOG_2PI, LOG_2PI_E, UnsupportedMethodError } from '@trientropy/distributions';
import { checkBatch } from './batch-checks.js';
import { checkLogVariance } from './config-checks.js';
import type { GaussianEncoder } from './gaussian-encoder.js';
import type { Mlp } from './mlp.js';
import { type MlpVaeConfig, mlpDecoder, mlpEncoder, resolveMlpVaeConfig } from './mlp-vae-config.js';
import { ownedVariable } from './owned-variable.js';
import { uniqueScope } from './unique-name.js';
import { type LikelihoodTerms, VaeBase } from './vae-base.js';
import type { OptimalVarianceOptions, OptimalVariances } from './vae-terms.js';
import { seededRandomNormal } from '@trientropy/distributions';

/**
 * How VAE-3's decoder variance depends on the latent.
 * - `'latent-dependent'`: `σ_d²(z) = s·exp(ρ_d(z))` with ρ(z) from the decoder MLP (the paper's VAE-3).
 * - `'per-dimension'`: `σ_d² = s·exp(ρ_d)` with a learnable vector ρ, not depending on z (what the authors'
 *   model.py calls "VAE-3"; arXiv 2010.14860, VAE-3 section, repository variant). Its closed form is `σ_d² = mean_n E_q (x_nd − μ_d(z))²`.
 */
export type Vae3VarianceModel = 'latent-dependent' | 'per-dimension';

/** Every {@link Vae3VarianceModel}. */
export const VAE3_VARIANCE_MODELS: readonly Vae3VarianceModel[] = ['latent-dependent', 'per-dimension'];

/** Configuration of {@link Vae3}. */
export interface Vae3Config extends MlpVaeConfig {
  /** Initial log s, the global log-scale of σ²(z). Default 0. */
  initialLogDecoderVariance?: number;
  /** Default 'latent-dependent'. */
  varianceModel?: Vae3VarianceModel;
}

/**
 * VAE-3 (arXiv 2010.14860, VAE-3 section): prior N(0, I), decoder `N(x; μ(z), diag σ²(z))` with a latent-dependent diagonal
 * variance. One decoder MLP outputs 2D values, μ(z) and ρ(z), and `σ_d²(z) = s · exp(ρ_d(z))` with a
 * learnable global scale s (stored as log s). The global scale makes "multiply σ²(z) by a constant" an exact
 * parameter direction, the condition under which the reconstruction term equals −H_dec at stationary points
 * (Q = D, arXiv 2010.14860, VAE-3 section); it also gives the closed-form update s ← s·Q/D ({@link setOptimalVariances}).
 * H_dec = `mean_n E_q Σ_d ½ log(2πe σ_d²(z))` is a Monte-Carlo estimate over q (see `entropies` options).
 * With `varianceModel: 'per-dimension'` the variance is a learnable vector instead (see {@link Vae3VarianceModel}).
 */
export class Vae3 extends VaeBase {
  static {
    defineClassId(this, '@trientropy/models:Vae3'); // instanceof across the ESM and CJS builds (see VaeBase)
  }

  readonly kind = 'vae-3' as const;
  readonly decoderVarianceType: 'latent-dependent' | 'per-dimension';
  readonly config: Readonly<Required<Vae3Config>>;
  readonly encoder: GaussianEncoder;
  /** The decoder MLP, outputs [μ(z) | ρ(z)] ('latent-dependent') or μ(z) ('per-dimension'). */
  readonly decoder: Mlp;
  /** log s, the global log-scale of σ²(z). */
  readonly logDecoderVarianceScale: tf.Variable<tf.Rank.R0>;
  /** ρ, shape [D], in 'per-dimension' mode; undefined otherwise. */
  readonly logVarianceOffsets: tf.Variable<tf.Rank.R1> | undefined;
  protected readonly decoderEntropyNeedsSamples: boolean;

  constructor(config: Vae3Config) {
    const varianceModel = config.varianceModel ?? 'latent-dependent';
    if (!VAE3_VARIANCE_MODELS.includes(varianceModel)) throw new InvalidArgumentError('varianceModel', "'latent-dependent' or 'per-dimension'", String(varianceModel));
    const resolved = { ...resolveMlpVaeConfig(config), initialLogDecoderVariance: checkLogVariance(config.initialLogDecoderVariance ?? 0, 'initialLogDecoderVariance'), varianceModel };
    const scope = uniqueScope('vae3');
    const encoder = mlpEncoder(resolved, scope);
    super(resolved.dataDim, resolved.latentDim, encoder);
    const perDimension = varianceModel === 'per-dimension';
    this.config = resolved;
    this.encoder = encoder;
    this.decoderVarianceType = varianceModel;
    this.decoderEntropyNeedsSamples = !perDimension;
    this.decoder = mlpDecoder(resolved, perDimension ? resolved.dataDim : 2 * resolved.dataDim, scope);
    this.logDecoderVarianceScale = ownedVariable(tf.scalar(resolved.initialLogDecoderVariance), true, `${scope}/logDecoderVarianceScale`) as tf.Variable<tf.Rank.R0>;
    this.logVarianceOffsets = perDimension ? (ownedVariable(tf.zeros([resolved.dataDim]), true, `${scope}/logVarianceOffsets`) as tf.Variable<tf.Rank.R1>) : undefined;
  }

  namedVariables(): Record<string, tf.Variable> {
    const named: Record<string, tf.Variable> = { ...this.encoder.namedVariables('encoder'), ...this.decoder.namedVariables('decoder'), logDecoderVarianceScale: this.logDecoderVarianceScale };
    if (this.logVarianceOffsets !== undefined) named['logVarianceOffsets'] = this.logVarianceOffsets;
    return named;
  }

  /** μ(z) and log σ²(z), each [batch, D]. */
  private decoderOutputs(z: tf.Tensor2D): { mean: tf.Tensor2D; logVariance: tf.Tensor2D } {
    return tf.tidy(() => {
      if (this.logVarianceOffsets !== undefined) {
        const mean = this.decoder.apply(z);
        return { mean, logVariance: tf.broadcastTo(tf.add(this.logVarianceOffsets, this.logDecoderVarianceScale), mean.shape) as tf.Tensor2D };
      }
      const [mean, rho] = tf.split(this.decoder.apply(z), 2, 1) as [tf.Tensor2D, tf.Tensor2D];
      return { mean, logVariance: tf.add(rho, this.logDecoderVarianceScale) };
    });
  }

  protected decoderMeanOf(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.decoderOutputs(z).mean);
  }

  /** σ²(z) for latents of shape [batch, H]; returns [batch, D]. */
  decoderVarianceAt(z: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => tf.exp(this.decoderOutputs(checkBatch(z, this.latentDim, 'z')).logVariance));
  }

  protected likelihoodTerms(x: tf.Tensor2D, z: tf.Tensor2D, samples: number): LikelihoodTerms {
    return tf.tidy(() => {
      const { mean, logVariance } = this.decoderOutputs(z);
      const shape = [samples, x.shape[0], this.dataDim];
      const squared = tf.square(tf.sub(x, tf.reshape(mean, shape)));
      const standardized = tf.mul(squared, tf.exp(tf.neg(tf.reshape(logVariance, shape))));
      const squaredError = tf.mean(tf.sum(squared, -1)) as tf.Scalar;
      const standardizedSquaredError = tf.mean(tf.sum(standardized, -1)) as tf.Scalar;
      // mean over (s, n) of Σ_d −½(log 2π + log σ_d² + (x_d − μ_d)²/σ_d²)
      const meanLogVariance = tf.mean(tf.sum(logVariance, -1));
      const expectedLogLikelihood = tf.mul(tf.add(tf.add(meanLogVariance, this.dataDim * LOG_2PI), standardizedSquaredError), -0.5) as tf.Scalar;
      return { expectedLogLikelihood, squaredError, standardizedSquaredError };
    });
  }

  protected decoderEntropyOf(z: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => tf.mul(tf.add(tf.mean(tf.sum(this.decoderOutputs(z).logVariance, -1)), this.dataDim * LOG_2PI_E), 0.5) as tf.Scalar);
  }

  /** `n` draws of x from the generative model (z ~ N(0, I), x ~ N(μ(z), diag σ²(z))). */
  sample(n: number, seed: number): tf.Tensor2D {
    return tf.tidy(() => {
      const { mean, logVariance } = this.decoderOutputs(this.samplePrior(n, seed));
      return tf.add(mean, tf.mul(tf.exp(tf.mul(logVariance, 0.5)), seededRandomNormal([n, this.dataDim], deriveSeed(seed, 1))));
    });
  }

  /** The global scale s of σ²(z) = s·exp(ρ(z)) (not a variance of the data by itself). */
  decoderVariance(): tf.Scalar {
    return tf.exp(this.logDecoderVarianceScale);
  }

  /** Throws: VAE-3's variance is not one scalar; use {@link setOptimalVariances} instead. */
  setDecoderVariance(variance: number): void {
    throw new UnsupportedMethodError('Vae3', 'setDecoderVariance', `the decoder variance is ${this.decoderVarianceType === 'per-dimension' ? 'one value per dimension' : 'σ²(z), a function of z'}, so one value (${variance}) cannot be set; use setOptimalVariances`);
  }

  /** Sets the global scale s of σ²(z) to `s·Q/D`, its closed-form optimum (arXiv 2010.14860, stationary-point conditions); afterwards Q = D for these samples. */
  setOptimalVariances(x: tf.Tensor, options: OptimalVarianceOptions): void {
    const optimum = this.optimalVariances(x, options);
    if (this.logVarianceOffsets !== undefined) {
      const offsets = this.logVarianceOffsets;
      tf.tidy(() => offsets.assign(tf.sub(tf.log(tf.tensor1d(optimum.decoderVariances!, 'float32')), this.logDecoderVarianceScale)));
    } else {
      tf.tidy(() => this.logDecoderVarianceScale.assign(tf.scalar(Math.log(optimum.decoderVarianceScale!))));
    }
  }

  /**
   * `{ decoderVarianceScale: s·Q/D }` over all of `x`; in 'per-dimension' mode also
   * `decoderVariances: σ_d² = mean_n E_q (x_nd − μ_d(z))²`, the full per-dimension optimum (after which Q = D).
   */
  optimalVariances(x: tf.Tensor, options: OptimalVarianceOptions): OptimalVariances {
    const ratio = this.standardizedRatio(x, options);
    const scale = this.decoderVariance();
    const value = scale.dataSync()[0]!;
    scale.dispose();
    const optimum: OptimalVariances = { decoderVarianceScale: value * ratio };
    if (this.logVarianceOffsets !== undefined) optimum.decoderVariances = this.squaredErrorPerDimension(x, options);
    return optimum;
  }

  /** `mean_n E_q (x_nd − μ_d(z))²` per dimension, chunk i with seed `options.seed + i` (as `statistics`). */
  private squaredErrorPerDimension(x: tf.Tensor, options: OptimalVarianceOptions): number[] {
    const data = checkBatch(x, this.dataDim);
    const batchSize = options.batchSize ?? 2000;
    const samples = options.samples ?? 1;
    const n = data.shape[0];
    const total = tf.tidy(() => {
      let sum = tf.zeros([this.dataDim]);
      for (let start = 0, index = 0; start < n; start += batchSize, index++) {
        const size = Math.min(batchSize, n - start);
        const chunk = tf.slice(data, [start, 0], [size, this.dataDim]);
        const z = this.sampleLatents(this.encoder.encode(chunk), samples, deriveSeed(options.seed, index));
        const mean = tf.reshape(this.decoderOutputs(z).mean, [samples, size, this.dataDim]);
        sum = tf.add(sum, tf.mul(tf.mean(tf.square(tf.sub(chunk, mean)), [0, 1]), size));
      }
      return tf.div(sum, n);
    });
    const values = Array.from(total.dataSync());
    total.dispose();
    if (!values.every((v) => v > 0 && Number.isFinite(v))) throw new InvalidArgumentError('x', 'data with finite, positive residual variances per dimension', `[${values.join(', ')}]`);
    return values;
  }

  /** Q/D over all of `x`; 1 at a stationary point. */
  private standardizedRatio(x: tf.Tensor, options: OptimalVarianceOptions): number {
    const ratio = this.statistics(x, options).standardizedSquaredError! / this.dataDim;
    if (!(ratio > 0) || !Number.isFinite(ratio)) throw new InvalidArgumentError('x', 'data with a finite, positive Q/D', String(ratio));
    return ratio;
  }
}
