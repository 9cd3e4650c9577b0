import * as tf from '@tensorflow/tfjs-core';
import { LOG_2PI } from './constants.js';
import { Distribution, type DistributionOptions } from './distribution.js';
import { logNdtr, ndtr } from './erfc.js';
import {
  type TensorLike,
  assertAllElements,
  broadcastShapes,
  toFloatTensor,
} from './tensor-checks.js';
import { seededRandomNormal } from './seeded-random-ops.js';

/**
 * Univariate normal distribution, element-wise over a batch of any shape: `N(loc, scale²)`.
 *
 * Mathematical details (natural log, nats):
 * - `logProb(x) = −½((x − μ)/σ)² − log σ − ½ log 2π`
 * - `entropy = ½ + ½ log 2π + log σ`
 * - `rsample = μ + σ·ε`, `ε ~ N(0, 1)`
 *
 * Construct from a log-variance with {@link Normal.fromLogVariance}: the log-scale is then kept exactly,
 * so `entropy` and `logProb` never take the log of an exponential.
 */
export class Normal extends Distribution {
  readonly loc: tf.Tensor;
  readonly scale: tf.Tensor;
  readonly batchShape: number[];
  readonly eventShape: number[] = [];
  readonly hasRsample = true;
  private logScaleValue: tf.Tensor | undefined;

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

  /** `N(loc, exp(logVariance))`; the parametrisation VAE encoders output. */
  static fromLogVariance(loc: TensorLike, logVariance: TensorLike, options: DistributionOptions = {}): Normal {
    const logVar = toFloatTensor(logVariance, 'logVariance');
    if (options.validateArgs ?? true) assertAllElements(logVar, 'logVariance', 'finite values', Number.isFinite);
    const logScale = tf.mul(logVar, 0.5);
    const normal = new Normal(loc, tf.exp(logScale), options);
    normal.logScaleValue = logScale;
    return normal;
  }

  /** `log σ`, exact when constructed from a log-variance. */
  logScale(): tf.Tensor {
    return this.logScaleValue ?? tf.log(this.scale);
  }

  logProb(value: tf.Tensor): tf.Tensor {
    const x = toFloatTensor(value, 'value');
    return tf.tidy(() => {
      const z = tf.div(tf.sub(x, this.loc), this.scale);
      return tf.sub(tf.mul(tf.square(z), -0.5), tf.add(this.logScale(), 0.5 * LOG_2PI));
    });
  }

  entropy(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.add(this.logScale(), 0.5 + 0.5 * LOG_2PI), this.batchShape));
  }

  mean(): tf.Tensor {
    return tf.broadcastTo(this.loc, this.batchShape);
  }

  override mode(): tf.Tensor {
    return this.mean();
  }

  variance(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.square(this.scale), this.batchShape));
  }

  override stddev(): tf.Tensor {
    return tf.broadcastTo(this.scale, this.batchShape);
  }

  /** `P(X ≤ x) = Φ((x − μ)/σ) = ½ erfc(−(x − μ)/(σ√2))`, accurate in both tails (see erfc.ts). */
  override cdf(value: tf.Tensor): tf.Tensor {
    const x = toFloatTensor(value, 'value');
    return tf.tidy(() => ndtr(tf.div(tf.sub(x, this.loc), this.scale)));
  }

  /** `log P(X ≤ x)`, finite far into the lower tail where `cdf` underflows. */
  override logCdf(value: tf.Tensor): tf.Tensor {
    const x = toFloatTensor(value, 'value');
    return tf.tidy(() => logNdtr(tf.div(tf.sub(x, this.loc), this.scale)));
  }

  protected override rsampleImpl(sampleShape: number[], seed: number): tf.Tensor {
    return tf.tidy(() => {
      const noise = seededRandomNormal([...sampleShape, ...this.batchShape], seed);
      return tf.add(this.loc, tf.mul(this.scale, noise));
    });
  }
}

/**
 * `KL(N(μ₁, σ₁²) ‖ N(μ₂, σ₂²)) = log(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²)/(2σ₂²) − ½`, element-wise.
 *
 * Evaluated as `½(expm1(d) − d) + ½((μ₁ − μ₂)/σ₂)²` with `d = 2(log σ₁ − log σ₂)`: the log-scales are used
 * exactly (no log of an exponential for log-variance parametrisations), and `expm1` keeps the
 * `r − 1 − log r` part accurate when the two scales are close (where the naive form cancels to noise).
 */
export function klNormalNormal(p: Normal, q: Normal): tf.Tensor {
  return tf.tidy(() => {
    const d = tf.mul(tf.sub(p.logScale(), q.logScale()), 2);
    const scaleTerm = tf.sub(tf.expm1(d), d);
    const meanTerm = tf.square(tf.div(tf.sub(p.loc, q.loc), q.scale));
    return tf.mul(tf.add(scaleTerm, meanTerm), 0.5);
  });
}
