import * as tf from '@tensorflow/tfjs-core';
import { Distribution, type DistributionOptions } from './distribution.js';
import { fillWhere, isNaNMask } from './support.js';
import { type TensorLike, assertAllElements, toFloatTensor } from './tensor-checks.js';

/**
 * Point mass at `loc` (element-wise, event shape `[]`): a degenerate distribution used for deterministic
 * encoders (a plain autoencoder as a VAE with zero posterior variance) and as a limit in tests.
 *
 * Mathematical details: `logProb(x) = 0` where x = loc and −∞ elsewhere (a probability mass, so entropy = 0);
 * `mean = mode = loc`, `variance = 0`, `cdf(x) = [x ≥ loc]`; `rsample = loc` (gradients flow to loc).
 */
export class Deterministic extends Distribution {
  readonly loc: tf.Tensor;
  readonly batchShape: number[];
  readonly eventShape: number[] = [];
  readonly hasRsample = true;

  constructor(loc: TensorLike, options: DistributionOptions = {}) {
    super();
    this.loc = toFloatTensor(loc, 'loc');
    if (options.validateArgs ?? true) assertAllElements(this.loc, 'loc', 'finite values', Number.isFinite);
    this.batchShape = this.loc.shape;
  }

  logProb(value: tf.Tensor): tf.Tensor {
    const x = toFloatTensor(value, 'value');
    return tf.tidy(() => {
      // |x − loc| ≤ 0 rather than Equal/LogicalAnd, which have no gradient in tfjs.
      const equal = tf.greaterEqual(0, tf.abs(tf.sub(x, this.loc)));
      return fillWhere(isNaNMask(x), tf.where(equal, tf.zeros(equal.shape), tf.fill(equal.shape, -Infinity)), NaN);
    });
  }

  entropy(): tf.Tensor {
    return tf.zeros(this.batchShape);
  }

  mean(): tf.Tensor {
    return tf.clone(this.loc);
  }

  override mode(): tf.Tensor {
    return tf.clone(this.loc);
  }

  variance(): tf.Tensor {
    return tf.zeros(this.batchShape);
  }

  override cdf(value: tf.Tensor): tf.Tensor {
    const x = toFloatTensor(value, 'value');
    return tf.tidy(() => tf.cast(tf.greaterEqual(x, this.loc), 'float32'));
  }

  protected override rsampleImpl(sampleShape: number[], _seed: number): tf.Tensor {
    return tf.broadcastTo(this.loc, [...sampleShape, ...this.batchShape]);
  }
}

/** `KL(δ_a ‖ δ_b)` = 0 where a = b, +∞ elsewhere. */
export function klDeterministicDeterministic(p: Deterministic, q: Deterministic): tf.Tensor {
  return tf.tidy(() => tf.neg(q.logProb(p.loc)));
}
