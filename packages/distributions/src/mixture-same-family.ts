import * as tf from '@tensorflow/tfjs-core';
import { oneHotFloat } from './one-hot.js';
import { Categorical } from './categorical.js';
import { Distribution } from './distribution.js';
import { InvalidArgumentError, UnsupportedMethodError } from './errors.js';
import { logSumExp } from './special/log-sum-exp.js';
import { deriveSeed } from './seed-derivation.js';

/**
 * Mixture of K components of one family: `p(x) = Σₖ wₖ pₖ(x)`, with mixture weights from a `Categorical` of
 * batch shape B and components of batch shape `[...B, K]` (the last batch axis indexes the components).
 *
 * Mathematical details: `logProb(x) = logSumExp_k(log wₖ + log pₖ(x))`, `mean = Σ wₖ μₖ`,
 * `variance = Σ wₖ(σₖ² + μₖ²) − mean²` (law of total variance, element-wise over the event),
 * `cdf(x) = Σ wₖ Fₖ(x)` for components with a cdf. The entropy has no closed form: `entropy()` throws; estimate it
 * explicitly as `−mean(logProb(sample(n)))`. No reparameterised sampler (the component choice is discrete).
 */
export class MixtureSameFamily extends Distribution {
  readonly mixture: Categorical;
  readonly components: Distribution;
  readonly batchShape: number[];
  readonly eventShape: number[];
  readonly hasRsample = false;

  constructor(mixture: Categorical, components: Distribution) {
    super();
    const k = components.batchShape[components.batchShape.length - 1];
    const expected = [...mixture.batchShape, mixture.numCategories];
    if (components.batchShape.join(',') !== expected.join(',')) {
      throw new InvalidArgumentError(
        'components',
        `batch shape [${expected.join(',')}] (the mixture's batch shape, then its ${mixture.numCategories} components)`,
        `batch shape [${components.batchShape.join(',')}]${k === undefined ? '' : ` with ${k} components`}`,
      );
    }
    this.mixture = mixture;
    this.components = components;
    this.batchShape = mixture.batchShape;
    this.eventShape = components.eventShape;
  }

  /** Inserts the component axis before the event axes of a value shaped `[..., ...batch, ...event]`. */
  private expandComponentAxis(x: tf.Tensor): tf.Tensor {
    return tf.expandDims(x, x.rank - this.eventShape.length);
  }

  /** Mixture weights broadcast against per-component quantities shaped `[...batch, K, ...event]`. */
  private weightsForEvent(): tf.Tensor {
    let w = this.mixture.probs;
    for (let i = 0; i < this.eventShape.length; i++) w = tf.expandDims(w, -1);
    return w;
  }

  logProb(value: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const perComponent = this.components.logProb(this.expandComponentAxis(value)); // [..., ...batch, K]
      return logSumExp(tf.add(perComponent, this.mixture.logProbs), -1);
    });
  }

  entropy(): tf.Tensor {
    throw new UnsupportedMethodError(
      'MixtureSameFamily',
      'entropy',
      'a mixture has no closed-form entropy; estimate it explicitly as −mean(logProb(sample([n], seed)))',
    );
  }

  mean(): tf.Tensor {
    return tf.tidy(() => tf.sum(tf.mul(this.weightsForEvent(), this.components.mean()), this.batchShape.length));
  }

  variance(): tf.Tensor {
    return tf.tidy(() => {
      const w = this.weightsForEvent();
      const axis = this.batchShape.length;
      const m = this.components.mean();
      const secondMoment = tf.sum(tf.mul(w, tf.add(this.components.variance(), tf.square(m))), axis);
      return tf.relu(tf.sub(secondMoment, tf.square(tf.sum(tf.mul(w, m), axis))));
    });
  }

  override cdf(value: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.sum(tf.mul(this.components.cdf(this.expandComponentAxis(value)), this.mixture.probs), -1));
  }

  protected override sampleImpl(sampleShape: number[], seed: number): tf.Tensor {
    return tf.tidy(() => {
      const k = this.mixture.numCategories;
      const choice = this.mixture.sample(sampleShape, seed); // [...S, ...batch]
      const draws = this.components.sample(sampleShape, deriveSeed(seed, 1)); // [...S, ...batch, K, ...event]
      let mask = oneHotFloat(choice, k); // [...S, ...batch, K]
      for (let i = 0; i < this.eventShape.length; i++) mask = tf.expandDims(mask, -1);
      return tf.sum(tf.mul(draws, mask), sampleShape.length + this.batchShape.length);
    });
  }
}
