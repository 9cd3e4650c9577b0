import * as tf from '@tensorflow/tfjs-core';
import { Distribution } from './distribution.js';
import { InvalidArgumentError, describeValue } from './errors.js';
import { lgammaHost } from './log-bessel.js';
import { assertSampleShape, toFloatTensor } from './tensor-checks.js';
import { seededRandomNormal } from './seeded-random-ops.js';
import { fillWhere, offUnitSphere } from './support.js';

/** `log |S^{p−1}| = log 2 + (p/2) log π − lnΓ(p/2)`, the log surface area of the unit sphere in ℝ^p (host, float64). */
export function logSphereSurfaceArea(dimension: number): number {
  return Math.log(2) + (dimension / 2) * Math.log(Math.PI) - lgammaHost(dimension / 2);
}

/**
 * The uniform distribution on the unit sphere S^{p−1} ⊂ ℝ^p (event shape `[p]`), the prior of hyperspherical VAEs
 * and the `q` of `klDivergence(vonMisesFisher, uniform)`.
 *
 * Mathematical details: density `1/|S^{p−1}|` with `|S^{p−1}| = 2π^{p/2}/Γ(p/2)` (logProb is −∞ for x off the sphere,
 * |‖x‖ − 1| > 1e-4); `entropy = log |S^{p−1}|`; `mean = 0`; `variance = 1/p` per coordinate (E[xxᵀ] = I/p); no mode.
 * `sample`: a standard normal vector divided by its norm (no parameters, hence no `rsample`).
 */
export class HypersphericalUniform extends Distribution {
  readonly dimension: number;
  readonly batchShape: number[];
  readonly eventShape: number[];
  readonly hasRsample = false;

  /** `dimension` p ≥ 2 (an integer); `batchShape` (default `[]`) repeats the distribution. */
  constructor(dimension: number, batchShape: number[] = []) {
    super();
    if (!Number.isInteger(dimension) || dimension < 2) throw new InvalidArgumentError('dimension', 'an integer ≥ 2', describeValue(dimension));
    assertSampleShape(batchShape, 'batchShape', [dimension]);
    this.dimension = dimension;
    this.batchShape = [...batchShape];
    this.eventShape = [dimension];
  }

  logProb(value: tf.Tensor): tf.Tensor {
    const x = toFloatTensor(value, 'value');
    if (x.rank < 1 || x.shape[x.rank - 1] !== this.dimension) {
      throw new InvalidArgumentError('value', `a last axis of size ${this.dimension} (the dimension)`, `shape [${x.shape.join(',')}]`);
    }
    return tf.tidy(() => {
      const density = tf.add(tf.zeros(this.batchShape), tf.fill(x.shape.slice(0, -1), -logSphereSurfaceArea(this.dimension)));
      // A NaN row stays NaN; a point off the sphere (|‖x‖ − 1| > 1e-4) is outside the support.
      const withNaN = tf.add(density, tf.mul(tf.sum(x, -1), 0));
      return fillWhere(offUnitSphere(x), withNaN, -Infinity);
    });
  }

  entropy(): tf.Tensor {
    return tf.fill(this.batchShape, logSphereSurfaceArea(this.dimension));
  }

  mean(): tf.Tensor {
    return tf.zeros([...this.batchShape, this.dimension]);
  }

  variance(): tf.Tensor {
    return tf.fill([...this.batchShape, this.dimension], 1 / this.dimension);
  }

  protected override sampleImpl(sampleShape: number[], seed: number): tf.Tensor {
    return tf.tidy(() => {
      const g = seededRandomNormal([...sampleShape, ...this.batchShape, this.dimension], seed);
      return tf.div(g, tf.norm(g, 'euclidean', -1, true));
    });
  }
}
