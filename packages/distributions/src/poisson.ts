import * as tf from '@tensorflow/tfjs-core';
import { LOG_2PI_E } from './constants.js';
import { Distribution, type DistributionOptions } from './distribution.js';
import { InvalidArgumentError, UnsupportedMethodError } from './errors.js';
import { lgamma } from './special/lgamma.js';
import { poissonLogPmf, rLogRMinusRPlusOne } from './special/poisson-log-pmf.js';
import { type TensorLike, assertAllElements, broadcastShapes, toFloatTensor } from './tensor-checks.js';
import { seededRandomUniform } from './seeded-random-ops.js';
import { fillWhere, notACount, replaceWhere } from './support.js';

/** Rates below this use the exact entropy sum over k = 0…ENTROPY_TERMS − 1; above, the asymptotic series. */
const ENTROPY_SERIES_LIMIT = 20;
/** P(K ≥ 80) < 1e-25 for λ < 20, so the truncated sum is exact in float32. */
const ENTROPY_TERMS = 80;
/** Largest CDF table of the sampler (2^24 values: rates up to about 1.6e7 for one batch member). */
const MAX_CDF_TABLE_VALUES = 2 ** 24;

/**
 * Poisson distribution with rate λ > 0 on {0, 1, 2, …}, element-wise.
 *
 * Mathematical details: `logProb(k) = k log λ − λ − lnΓ(k + 1)`, −∞ for k outside {0, 1, 2, …} (negative,
 * fractional or infinite); `mean = variance = λ`, `mode = ⌊λ⌋`. The entropy has no closed form: for
 * λ < 20 it is the sum `−Σ_{k<80} p(k) log p(k)`, above it the asymptotic series
 * `½ log(2πeλ) − 1/(12λ) − 1/(24λ²) − 19/(360λ³)` (next term < 3e-7 at λ = 20; checked against SciPy's sum).
 * No reparameterised sampler (the support is discrete).
 */
export class Poisson extends Distribution {
  readonly rate: tf.Tensor;
  readonly batchShape: number[];
  readonly eventShape: number[] = [];
  readonly hasRsample = false;

  constructor(rate: TensorLike, options: DistributionOptions = {}) {
    super();
    this.rate = toFloatTensor(rate, 'rate');
    this.batchShape = this.rate.shape;
    if (options.validateArgs ?? true) assertAllElements(this.rate, 'rate', 'finite values > 0', (v) => v > 0 && Number.isFinite(v));
  }

  logProb(value: tf.Tensor): tf.Tensor {
    if (!(value instanceof tf.Tensor) || (value.dtype !== 'int32' && value.dtype !== 'float32')) {
      throw new InvalidArgumentError('value', 'an int32 or float32 tensor of counts', value instanceof tf.Tensor ? `dtype ${value.dtype}` : typeof value);
    }
    return tf.tidy(() => {
      const k = tf.cast(value, 'float32');
      const shape = broadcastShapes(k.shape, this.batchShape, 'value', 'rate');
      const outside = notACount(k);
      const pmf = poissonLogPmf(tf.broadcastTo(replaceWhere(outside, k, 0), shape), tf.broadcastTo(this.rate, shape));
      return fillWhere(outside, pmf, -Infinity);
    });
  }

  entropy(): tf.Tensor {
    return tf.tidy(() => {
      const large = tf.greaterEqual(this.rate, ENTROPY_SERIES_LIMIT);
      const rateSmall = tf.where(large, tf.onesLike(this.rate), this.rate);
      const rateLarge = tf.where(large, this.rate, tf.fill(this.rate.shape, ENTROPY_SERIES_LIMIT));
      const ks = tf.reshape(tf.range(0, ENTROPY_TERMS, 1, 'float32'), [ENTROPY_TERMS, ...this.rate.shape.map(() => 1)]);
      const logP = tf.sub(tf.sub(tf.mul(ks, tf.log(rateSmall)), rateSmall), lgamma(tf.add(ks, 1)));
      const summed = tf.neg(tf.sum(tf.mul(tf.exp(logP), logP), 0));
      const inv = tf.reciprocal(rateLarge);
      const correction = tf.mul(inv, tf.add(1 / 12, tf.mul(inv, tf.add(1 / 24, tf.mul(inv, 19 / 360)))));
      const series = tf.sub(tf.mul(tf.add(tf.log(rateLarge), LOG_2PI_E), 0.5), correction);
      return tf.where(large, series, summed);
    });
  }

  mean(): tf.Tensor {
    return tf.clone(this.rate);
  }

  variance(): tf.Tensor {
    return tf.clone(this.rate);
  }

  override mode(): tf.Tensor {
    return tf.floor(this.rate);
  }

  /**
   * Inversion: draws u ~ U(0, 1) and counts the k with cdf(k) < u, over k = 0…K where
   * K = ⌈λmax + 12√λmax + 25⌉ (the mass above K is < 1e-30). The pmf is exact per term; the cdf is their float32
   * cumulative sum (rounding ≤ K·6e-8, i.e. 7e-4 at λ = 1e4: a quantile bias that small). It reads λmax back
   * from the backend once; cost O(K) per batch member plus a binary search (`tf.lowerBound`) per draw.
   * Returns float32 counts.
   */
  protected override sampleImpl(sampleShape: number[], seed: number): tf.Tensor {
    const maxRate = tf.tidy(() => tf.max(this.rate).dataSync()[0] as number);
    const terms = Math.ceil(maxRate + 12 * Math.sqrt(maxRate) + 25);
    const rows = this.rate.size;
    if (rows * terms > MAX_CDF_TABLE_VALUES) {
      throw new UnsupportedMethodError(
        'Poisson',
        'sample',
        `the inverse-CDF sampler tabulates k = 0…λ + 12√λ + 25 per batch member: ${rows} × ${terms} values for the largest rate ${maxRate.toPrecision(3)}, more than ${MAX_CDF_TABLE_VALUES}`,
      );
    }
    return tf.tidy(() => {
      const n = sampleShape.reduce((a, b) => a * b, 1);
      const ks = tf.reshape(tf.range(0, terms, 1, 'float32'), [1, terms]);
      const rate = tf.reshape(this.rate, [rows, 1]);
      const logPmf = poissonLogPmf(tf.broadcastTo(ks, [rows, terms]), tf.broadcastTo(rate, [rows, terms]));
      const partial = tf.cumsum(tf.exp(logPmf), 1); // [rows, K], sorted along K
      // Divided by its last entry (1 up to rounding), so u < 1 never falls beyond the window.
      const cdf = tf.div(partial, tf.slice(partial, [0, terms - 1], [rows, 1]));
      const u = seededRandomUniform([rows, n], seed);
      // lowerBound = the number of k with cdf(k) < u, per row: O(K + n log K) per batch member.
      const counts = tf.cast(tf.lowerBound(cdf, u), 'float32'); // [rows, n]
      return tf.reshape(tf.transpose(counts), [...sampleShape, ...this.batchShape]);
    });
  }
}

/**
 * `KL(Poisson(λ₁) ‖ Poisson(λ₂)) = λ₁ log(λ₁/λ₂) − λ₁ + λ₂ = λ₂·f(d)`, d = log λ₁ − log λ₂,
 * f(d) = r log r − r + 1 (Taylor series near r = 1, where the closed form cancels).
 */
export function klPoissonPoisson(p: Poisson, q: Poisson): tf.Tensor {
  return tf.tidy(() => tf.mul(q.rate, rLogRMinusRPlusOne(tf.sub(tf.log(p.rate), tf.log(q.rate)))));
}
