import * as tf from '@tensorflow/tfjs-core';
import { log1p } from './log1p.js';
import { lgamma } from './lgamma.js';

/** f(d) = d·eᵈ − expm1(d) = Σ_{n≥2} (n − 1)dⁿ/n!, the Taylor coefficients from d² on (|d| < 0.1). */
const R_LOG_R_SERIES = [1 / 2, 1 / 3, 1 / 8, 1 / 30, 1 / 144, 1 / 840, 1 / 5760];

/**
 * `r log r − r + 1` for r = eᵈ, from d = log r: `d·eᵈ − expm1(d)`, and its Taylor series for |d| < 0.1 where
 * that closed form cancels (relative error ~1e-7/d). It is Loader's `bd0/λ` and the Poisson KL per unit rate.
 */
export function rLogRMinusRPlusOne(d: tf.Tensor): tf.Tensor {
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
    // The unused Loader branch runs at k = λ = 15: with the caller's rate (1e-30, say) its zero gradient became NaN.
    const rateLarge = tf.where(large, rate, tf.fill(large.shape, LOADER_LIMIT));
    const direct = tf.sub(tf.sub(tf.mul(kSmall, tf.log(rate)), rate), lgamma(tf.add(kSmall, 1)));
    const inv = tf.reciprocal(kLarge);
    const inv2 = tf.square(inv);
    const stirlerr = tf.mul(inv, tf.add(1 / 12, tf.mul(inv2, tf.add(-1 / 360, tf.mul(inv2, 1 / 1260)))));
    const d = log1p(tf.div(tf.sub(kLarge, rateLarge), rateLarge));
    const saddle = tf.neg(tf.add(tf.add(stirlerr, tf.mul(tf.add(tf.log(kLarge), Math.log(2 * Math.PI)), 0.5)), tf.mul(rateLarge, rLogRMinusRPlusOne(d))));
    return tf.where(large, saddle, direct);
  });
}

