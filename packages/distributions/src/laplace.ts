import * as tf from '@tensorflow/tfjs-core';
import { log1p } from './special/log1p.js';
import { Distribution, type DistributionOptions } from './distribution.js';
import { type TensorLike, assertAllElements, broadcastShapes, toFloatTensor } from './tensor-checks.js';
import { seededRandomUniform } from './seeded-random-ops.js';

/**
 * Laplace (double exponential) distribution `Laplace(loc, scale)`, element-wise.
 *
 * Mathematical details: `logProb(x) = −|x − μ|/b − log 2b`, `entropy = 1 + log 2b`, `mean = mode = μ`,
 * `variance = 2b²`, `cdf(x) = ½e^{z}` for z = (x − μ)/b < 0 and `1 − ½e^{−z}` otherwise (the log-cdf uses
 * `log1p(−½e^{−z})`, exact in the upper tail); `rsample = μ − b·sign(u)·log1p(−|u|)`, u ~ U(−1, 1).
 */
export class Laplace extends Distribution {
  readonly loc: tf.Tensor;
  readonly scale: tf.Tensor;
  readonly batchShape: number[];
  readonly eventShape: number[] = [];
  readonly hasRsample = true;

  constructor(loc: TensorLike, scale: TensorLike, options: DistributionOptions = {}) {
    super();
    this.loc = toFloatTensor(loc, 'loc');
    this.scale = toFloatTensor(scale, 'scale');
    this.batchShape = broadcastShapes(this.loc.shape, this.scale.shape, 'loc', 'scale');
    if (options.validateArgs ?? true) {
      assertAllElements(this.loc, 'loc', 'finite values', Number.isFinite);
      assertAllElements(this.scale, 'scale', 'finite values > 0', (v) => v > 0 && Number.isFinite(v));
    }
  }

  logProb(value: tf.Tensor): tf.Tensor {
    const x = toFloatTensor(value, 'value');
    return tf.tidy(() => tf.neg(tf.add(tf.div(tf.abs(tf.sub(x, this.loc)), this.scale), tf.log(tf.mul(this.scale, 2)))));
  }

  entropy(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.add(tf.log(tf.mul(this.scale, 2)), 1), this.batchShape));
  }

  mean(): tf.Tensor {
    return tf.broadcastTo(this.loc, this.batchShape);
  }

  override mode(): tf.Tensor {
    return this.mean();
  }

  variance(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.mul(tf.square(this.scale), 2), this.batchShape));
  }

  override cdf(value: tf.Tensor): tf.Tensor {
    const x = toFloatTensor(value, 'value');
    return tf.tidy(() => {
      const z = tf.div(tf.sub(x, this.loc), this.scale);
      const upper = tf.greaterEqual(z, 0);
      // exp(−|z|) in both branches keeps the unused one finite.
      const tail = tf.mul(tf.exp(tf.neg(tf.abs(z))), 0.5);
      return tf.where(upper, tf.sub(1, tail), tail);
    });
  }

  override logCdf(value: tf.Tensor): tf.Tensor {
    const x = toFloatTensor(value, 'value');
    return tf.tidy(() => {
      const z = tf.div(tf.sub(x, this.loc), this.scale);
      const upper = tf.greaterEqual(z, 0);
      const negAbs = tf.neg(tf.abs(z));
      return tf.where(upper, log1p(tf.mul(tf.exp(negAbs), -0.5)), tf.sub(negAbs, Math.LN2));
    });
  }

  protected override rsampleImpl(sampleShape: number[], seed: number): tf.Tensor {
    return tf.tidy(() => {
      // u ∈ (−1, 1): the open lower end keeps log1p(−|u|) finite.
      const u = seededRandomUniform([...sampleShape, ...this.batchShape], seed, -1 + 2 ** -23, 1);
      const noise = tf.mul(tf.neg(tf.sign(u)), log1p(tf.neg(tf.abs(u))));
      return tf.add(this.loc, tf.mul(this.scale, noise));
    });
  }
}

/**
 * `KL(Laplace(μ₁, b₁) ‖ Laplace(μ₂, b₂)) = log(b₂/b₁) + |μ₁ − μ₂|/b₂ + (b₁/b₂)·e^{−|μ₁ − μ₂|/b₁} − 1`.
 * Evaluated as `(r·e^{−δ/b₁} − 1 − log r) + δ/b₂` with r = b₁/b₂, δ = |μ₁ − μ₂|; at δ = 0 the first part is
 * `expm1(log r) − log r`, accurate as r → 1.
 */
export function klLaplaceLaplace(p: Laplace, q: Laplace): tf.Tensor {
  return tf.tidy(() => {
    const logR = tf.sub(tf.log(p.scale), tf.log(q.scale));
    const delta = tf.abs(tf.sub(p.loc, q.loc));
    // r·e^{−δ/b₁} − 1 = expm1(log r − δ/b₁).
    const exponent = tf.sub(logR, tf.div(delta, p.scale));
    return tf.add(tf.sub(tf.expm1(exponent), logR), tf.div(delta, q.scale));
  });
}
