import * as tf from '@tensorflow/tfjs-core';
import { isInstanceAcross } from './class-identity.js';
import { UnsupportedMethodError } from './errors.js';
import { stopGradient } from './stop-gradient.js';
import { assertSampleShape, assertSeed } from './tensor-checks.js';

/** Options shared by every distribution's constructor. */
export interface DistributionOptions {
  /**
   * Check parameter values (positivity, finiteness, ...) at construction. On by default. The check
   * reads the parameters back from the backend, so code in a training loop passes `false`.
   */
  validateArgs?: boolean;
}

/**
 * Base class of every distribution.
 *
 * Shapes follow TensorFlow Probability: a sample has shape `[...sampleShape, ...batchShape, ...eventShape]`;
 * `logProb` and `entropy` return one value per batch member, shape `batchShape`.
 *
 * A distribution holds the tensors it was given and never disposes them; create and use distributions
 * inside `tf.tidy` so the intermediate tensors are released.
 */
export abstract class Distribution {
  /**
   * `x instanceof Normal` (or any other distribution class) also holds for an instance made by the other
   * build of this package (ESM vs CJS) in the same program: classes are compared by stable id.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return isInstanceAcross(value, this);
  }

  /** Shape of independent, non-identical members of this distribution. */
  abstract readonly batchShape: number[];
  /** Shape of a single draw of one member. */
  abstract readonly eventShape: number[];
  /** Whether `rsample` exists (a reparameterised, differentiable sample). */
  abstract readonly hasRsample: boolean;

  /** Log density (or mass) of `value`, one value per batch member. */
  abstract logProb(value: tf.Tensor): tf.Tensor;
  /** Differential entropy in nats, shape `batchShape`. */
  abstract entropy(): tf.Tensor;
  /** Mean, shape `[...batchShape, ...eventShape]`. */
  abstract mean(): tf.Tensor;
  /** Variance (element-wise over the event), shape `[...batchShape, ...eventShape]`. */
  abstract variance(): tf.Tensor;

  /** Most probable value, shape `[...batchShape, ...eventShape]`. */
  mode(): tf.Tensor {
    throw new UnsupportedMethodError(this.constructor.name, 'mode', 'no closed-form mode is implemented');
  }

  /** `P(X ≤ value)` where a closed form exists. */
  cdf(_value: tf.Tensor): tf.Tensor {
    throw new UnsupportedMethodError(this.constructor.name, 'cdf', 'no closed-form cdf is implemented');
  }

  /** `log P(X ≤ value)` where a closed form exists; by default `log(cdf(value))`. */
  logCdf(value: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.log(this.cdf(value)));
  }

  /** A sample of shape `[...sampleShape, ...batchShape, ...eventShape]` through which gradients flow. */
  protected rsampleImpl(_sampleShape: number[], _seed: number): tf.Tensor {
    throw new UnsupportedMethodError(
      this.constructor.name,
      'rsample',
      'it has no reparameterised sampler; use sample() (no gradients) or a relaxed/continuous counterpart',
    );
  }

  /** A sample without gradients; by default a reparameterised sample with gradients blocked. */
  protected sampleImpl(sampleShape: number[], seed: number): tf.Tensor {
    return tf.tidy(() => stopGradient(this.rsampleImpl(sampleShape, seed)));
  }

  /** Density (or mass) of `value`: `exp(logProb(value))`. */
  prob(value: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.exp(this.logProb(value)));
  }

  stddev(): tf.Tensor {
    return tf.tidy(() => tf.sqrt(this.variance()));
  }

  /**
   * Reparameterised sample: a deterministic, differentiable function of the parameters and of noise drawn
   * from `seed`. The same seed gives the same noise.
   */
  rsample(sampleShape: number[], seed: number): tf.Tensor {
    assertSampleShape(sampleShape, 'sampleShape', [...this.batchShape, ...this.eventShape]);
    assertSeed(seed);
    return this.rsampleImpl(sampleShape, seed);
  }

  /** A sample of shape `[...sampleShape, ...batchShape, ...eventShape]`; no gradients flow through it. */
  sample(sampleShape: number[], seed: number): tf.Tensor {
    assertSampleShape(sampleShape, 'sampleShape', [...this.batchShape, ...this.eventShape]);
    assertSeed(seed);
    return this.sampleImpl(sampleShape, seed);
  }
}
