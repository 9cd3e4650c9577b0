import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, LOG_2PI, LOG_2PI_E, UnsupportedMethodError } from '@trientropy/distributions';
import { checkBatch } from './batch-checks.js';
import { checkFinite } from './config-checks.js';
import type { GaussianEncoder } from './gaussian-encoder.js';
import type { Mlp } from './mlp.js';
import { type MlpVaeConfig, mlpDecoder, mlpEncoder, resolveMlpVaeConfig } from './mlp-vae-config.js';
import { ownedVariable } from './owned-variable.js';
import { uniqueScope } from './unique-name.js';
import { type LikelihoodTerms, VaeBase } from './vae-base.js';
import type { OptimalVarianceOptions, OptimalVariances } from './vae-terms.js';

/** Configuration of {@link Vae3}. */
export interface Vae3Config extends MlpVaeConfig {
  /** Initial log s, the global log-scale of σ²(z). Default 0. */
  initialLogDecoderVariance?: number;
}

/**
 * VAE-3 (spec §1.4): prior N(0, I), decoder `N(x; μ(z), diag σ²(z))` with a latent-dependent diagonal
 * variance. One decoder MLP outputs 2D values, μ(z) and ρ(z), and `σ_d²(z) = s · exp(ρ_d(z))` with a
 * learnable global scale s (stored as log s). The global scale makes "multiply σ²(z) by a constant" an exact
 * parameter direction, the condition under which the reconstruction term equals −H_dec at stationary points
 * (Q = D, spec §1.4); it also gives the closed-form update s ← s·Q/D ({@link setOptimalVariances}).
 * H_dec = `mean_n E_q Σ_d ½ log(2πe σ_d²(z))` is a Monte-Carlo estimate over q (see `entropies` options).
 */
export class Vae3 extends VaeBase {
  readonly kind = 'vae-3' as const;
  readonly decoderVarianceType = 'latent-dependent' as const;
  readonly config: Readonly<Required<Vae3Config>>;
  readonly encoder: GaussianEncoder;
  /** The decoder MLP, outputs [μ(z) | ρ(z)]. */
  readonly decoder: Mlp;
  /** log s, the global log-scale of σ²(z). */
  readonly logDecoderVarianceScale: tf.Variable<tf.Rank.R0>;
  protected readonly decoderEntropyNeedsSamples = true;

  constructor(config: Vae3Config) {
    const resolved = { ...resolveMlpVaeConfig(config), initialLogDecoderVariance: checkFinite(config.initialLogDecoderVariance ?? 0, 'initialLogDecoderVariance') };
    const scope = uniqueScope('vae3');
    const encoder = mlpEncoder(resolved, scope);
    super(resolved.dataDim, resolved.latentDim, encoder);
    this.config = resolved;
    this.encoder = encoder;
    this.decoder = mlpDecoder(resolved, 2 * resolved.dataDim, scope);
    this.logDecoderVarianceScale = ownedVariable(tf.scalar(resolved.initialLogDecoderVariance), true, `${scope}/logDecoderVarianceScale`) as tf.Variable<tf.Rank.R0>;
  }

  namedVariables(): Record<string, tf.Variable> {
    return { ...this.encoder.namedVariables('encoder'), ...this.decoder.namedVariables('decoder'), logDecoderVarianceScale: this.logDecoderVarianceScale };
  }

  /** μ(z) and log σ²(z), each [batch, D]. */
  private decoderOutputs(z: tf.Tensor2D): { mean: tf.Tensor2D; logVariance: tf.Tensor2D } {
    return tf.tidy(() => {
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
      return tf.add(mean, tf.mul(tf.exp(tf.mul(logVariance, 0.5)), tf.randomNormal([n, this.dataDim], 0, 1, 'float32', seed + 1)));
    });
  }

  /** The global scale s of σ²(z) = s·exp(ρ(z)) (not a variance of the data by itself). */
  decoderVariance(): tf.Scalar {
    return tf.exp(this.logDecoderVarianceScale);
  }

  /** Throws: VAE-3's variance depends on z; use {@link setOptimalVariances} (s ← s·Q/D) instead. */
  setDecoderVariance(variance: number): void {
    throw new UnsupportedMethodError('Vae3', 'setDecoderVariance', `σ²(z) depends on z, so one value (${variance}) cannot be set; use setOptimalVariances, which rescales σ²(z) by Q/D`);
  }

  /** Sets the global scale s of σ²(z) to `s·Q/D`, its closed-form optimum (spec §5.2); afterwards Q = D for these samples. */
  setOptimalVariances(x: tf.Tensor, options: OptimalVarianceOptions): void {
    const ratio = this.standardizedRatio(x, options);
    tf.tidy(() => this.logDecoderVarianceScale.assign(tf.add(this.logDecoderVarianceScale, Math.log(ratio))));
  }

  /** `{ decoderVarianceScale: s·Q/D }` over all of `x`. */
  optimalVariances(x: tf.Tensor, options: OptimalVarianceOptions): OptimalVariances {
    const ratio = this.standardizedRatio(x, options);
    const scale = this.decoderVariance();
    const value = scale.dataSync()[0]!;
    scale.dispose();
    return { decoderVarianceScale: value * ratio };
  }

  /** Q/D over all of `x`; 1 at a stationary point. */
  private standardizedRatio(x: tf.Tensor, options: OptimalVarianceOptions): number {
    const ratio = this.statistics(x, options).standardizedSquaredError! / this.dataDim;
    if (!(ratio > 0) || !Number.isFinite(ratio)) throw new InvalidArgumentError('x', 'data with a finite, positive Q/D', String(ratio));
    return ratio;
  }
}
