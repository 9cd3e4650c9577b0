import * as tf from '@tensorflow/tfjs-core';
import { LOG_2PI_E } from './constants.js';
import { Distribution, type DistributionOptions } from './distribution.js';
import { InvalidArgumentError } from './errors.js';
import { lgamma } from './special/lgamma.js';
import { type TensorLike, assertAllElements, broadcastShapes, toFloatTensor } from './tensor-checks.js';

/** Rates below this use the exact entropy sum over k = 0…ENTROPY_TERMS − 1; above, the asymptotic series. */
const ENTROPY_SERIES_LIMIT = 20;
/** P(K ≥ 80) < 1e-25 for λ < 20, so the truncated sum is exact in float32. */
const ENTROPY_TERMS = 80;

/** f(d) = d·eᵈ − expm1(d) = Σ_{n≥2} (n − 1)dⁿ/n!, the Taylor coefficients from d² on (|d| < 0.1). */
const R_LOG_R_SERIES = [1 / 2, 1 / 3, 1 / 8, 1 / 30, 1 / 144, 1 / 840, 1 / 5760];

/**
 * `r log r − r + 1` for r = eᵈ, from d = log r: `d·eᵈ − expm1(d)`, and its Taylor series for |d| < 0.1 where
 * that closed form cancels (relative error ~1e-7/d). It is Loader's `bd0/λ` and the Poisson KL per unit rate.
 */
function rLogRMinusRPlusOne(d: tf.Tensor): tf.Tensor {
  const far = tf.greaterEqual(tf.abs(d), 0.1);
  const dFar = tf.where(far, d, tf.onesLike(d));
  const dNear = tf.where(far, tf.zerosLike(d), d);
  const closed = tf.sub(tf.mul(dFar, tf.exp(dFar)), tf.expm1(dFar));
  let series: tf.Tensor = tf.fill(d.shape, R_LOG_R_SERIES[R_LOG_R_SERIES.length - 1] as number);
  for (let i = R_LOG_R_SERIES.length - 2; i >= 0; i--) series = tf.add(tf.mul(series, dNear), R_LOG_R_SERIES[i] as number);
  return tf.where(far, closed, tf.mul(series, tf.square(dNear)));
}

/** Counts at or above this use Loader's saddle-point form of the log-pmf. */
const LOADER_LIMIT = 15;

/**
 * `log P(K = k)` for rate λ, accurate in float32 also where `k log λ − λ − lnΓ(k + 1)` cancels (terms of size
 * 5000 for k ≈ λ ≈ 730 leave an absolute error of 1e-3). For k ≥ 15, Loader (2000):
 * `log p = −stirlerr(k) − ½ log(2πk) − λ·f(log1p((k − λ)/λ))` with f(d) = d·eᵈ − expm1(d) and
 * `stirlerr(k) = lnΓ(k + 1) − (k + ½) log k + k − ½ log 2π ≈ 1/(12k) − 1/(360k³) + 1/(1260k⁵)`;
 * `k − λ` is exact (Sterbenz) where it matters, near k = λ.
 */
export function poissonLogPmf(k: tf.Tensor, rate: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const large = tf.greaterEqual(k, LOADER_LIMIT);
    const kSmall = tf.where(large, tf.zerosLike(k), k);
    const kLarge = tf.where(large, k, tf.fill(k.shape, LOADER_LIMIT));
    const direct = tf.sub(tf.sub(tf.mul(kSmall, tf.log(rate)), rate), lgamma(tf.add(kSmall, 1)));
    const inv = tf.reciprocal(kLarge);
    const inv2 = tf.square(inv);
    const stirlerr = tf.mul(inv, tf.add(1 / 12, tf.mul(inv2, tf.add(-1 / 360, tf.mul(inv2, 1 / 1260)))));
    const d = tf.log1p(tf.div(tf.sub(kLarge, rate), rate));
    const saddle = tf.neg(tf.add(tf.add(stirlerr, tf.mul(tf.add(tf.log(kLarge), Math.log(2 * Math.PI)), 0.5)), tf.mul(rate, rLogRMinusRPlusOne(d))));
    return tf.where(large, saddle, direct);
  });
}

/**
 * Poisson distribution with rate λ > 0 on {0, 1, 2, …}, element-wise.
 *
 * Mathematical details: `logProb(k) = k log λ − λ − lnΓ(k + 1)` (−∞ for negative or non-integer k is *not*
 * checked: k is read as a count); `mean = variance = λ`, `mode = ⌊λ⌋`. The entropy has no closed form: for
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
      return poissonLogPmf(tf.broadcastTo(k, shape), tf.broadcastTo(this.rate, shape));
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
    return tf.tidy(() => {
      const rows = this.rate.size;
      const n = sampleShape.reduce((a, b) => a * b, 1);
      const ks = tf.reshape(tf.range(0, terms, 1, 'float32'), [1, terms]);
      const rate = tf.reshape(this.rate, [rows, 1]);
      const logPmf = poissonLogPmf(tf.broadcastTo(ks, [rows, terms]), tf.broadcastTo(rate, [rows, terms]));
      const partial = tf.cumsum(tf.exp(logPmf), 1); // [rows, K], sorted along K
      // Divided by its last entry (1 up to rounding), so u < 1 never falls beyond the window.
      const cdf = tf.div(partial, tf.slice(partial, [0, terms - 1], [rows, 1]));
      const u = tf.randomUniform([rows, n], 0, 1, 'float32', seed);
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
