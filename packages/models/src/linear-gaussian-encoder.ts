import * as tf from '@tensorflow/tfjs-core';
import { Dense } from './dense.js';
import { ownedVariable } from './owned-variable.js';
import type { EncoderOutput, LatentEncoder } from './latent-encoder.js';

/** Configuration of a {@link LinearGaussianEncoder}. */
export interface LinearGaussianEncoderConfig {
  dataDim: number;
  latentDim: number;
  /** Initial log τ_h², the same for every latent. */
  logVarianceInit: number;
  seed: number;
  name: string;
}

/**
 * The linear VAE's encoder (arXiv 2010.14860, linear-VAE section): mean `ν(x) = V x + c` and one log-variance per latent shared by all
 * data points. At the pPCA maximum-likelihood point the exact posterior has exactly this form (diagonal,
 * data-independent covariance), so the variational family contains it.
 */
export class LinearGaussianEncoder implements LatentEncoder {
  readonly latentDim: number;
  readonly mean: Dense;
  /** log τ², shape [H]. */
  readonly logVariance: tf.Variable<tf.Rank.R1>;

  constructor(config: LinearGaussianEncoderConfig) {
    this.latentDim = config.latentDim;
    this.mean = new Dense({ inputSize: config.dataDim, outputSize: config.latentDim, activation: 'linear', seed: config.seed, name: `${config.name}/mean` });
    this.logVariance = ownedVariable(tf.fill([config.latentDim], config.logVarianceInit), true, `${config.name}/logVariance`) as tf.Variable<tf.Rank.R1>;
  }

  /** ν(x) = Vx + c and the shared log τ², each [n, H]. */
  encode(x: tf.Tensor2D): EncoderOutput {
    return tf.tidy(() => {
      const mean = this.mean.apply(x);
      const logVariance = tf.broadcastTo(this.logVariance, mean.shape) as tf.Tensor2D;
      return { mean, logVariance };
    });
  }

  /** Variables under `<prefix>/mean/{weight,bias}` and `<prefix>/logVariance`. */
  namedVariables(prefix: string): Record<string, tf.Variable> {
    return { [`${prefix}/mean/weight`]: this.mean.weight, [`${prefix}/mean/bias`]: this.mean.bias, [`${prefix}/logVariance`]: this.logVariance };
  }

  /** ν_h, τ_h ← c_h·ν_h, c_h·τ_h (V, c and log τ² edited in place). */
  rescaleLatents(c: tf.Tensor1D): void {
    tf.tidy(() => {
      this.mean.weight.assign(tf.mul(this.mean.weight, c));
      this.mean.bias.assign(tf.mul(this.mean.bias, c));
      this.logVariance.assign(tf.add(this.logVariance, tf.mul(tf.log(c), 2)));
    });
  }
}
