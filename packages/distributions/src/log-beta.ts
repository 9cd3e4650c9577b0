import * as tf from '@tensorflow/tfjs-core';
import { log1p } from './special/log1p.js';
import { lgamma } from './special/lgamma.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
/** At and above this, lnΓ(x) = (x − ½) log x − x + ½ log 2π + δ(x) with the series δ below (error < 1e-12). */
const STIRLING_LIMIT = 10;

/** δ(x) = lnΓ(x) − [(x − ½) log x − x + ½ log 2π] ≈ 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷), x ≥ 10. */
function stirlingCorrection(x: tf.Tensor): tf.Tensor {
  const inv = tf.reciprocal(x);
  const inv2 = tf.square(inv);
  return tf.mul(inv, tf.add(1 / 12, tf.mul(inv2, tf.add(-1 / 360, tf.mul(inv2, tf.add(1 / 1260, tf.mul(inv2, -1 / 1680)))))));
}

/**
 * `log B(a, b) = lnΓ(a) + lnΓ(b) − lnΓ(a + b)`, element-wise, differentiable; the algorithm of R's `lbeta`.
 * With p = min(a, b), q = max(a, b), s = a + b:
 * - p ≥ 10: `½ log 2π − ½ log q + (p − ½) log(p/s) + q·log1p(−p/s) + δ(p) + δ(q) − δ(s)`
 * - q ≥ 10 > p: `lnΓ(p) + p − p log s + (q − ½)·log1p(−p/s) + δ(q) − δ(s)`
 * - otherwise the three lnΓ.
 * Why: `lnΓ(b) − lnΓ(a + b)` for b = 50 subtracts numbers near 150 and keeps only 1e-5 absolute in float32.
 */
export function logBeta(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const shape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
    // where(), not minimum/maximum: at a = b both of those route the gradient to a, none to b.
    const aFirst = tf.broadcastTo(tf.greaterEqual(b, a), shape);
    const ab = tf.broadcastTo(a, shape);
    const bb = tf.broadcastTo(b, shape);
    const p = tf.where(aFirst, ab, bb);
    const q = tf.where(aFirst, bb, ab);
    const bothLarge = tf.greaterEqual(p, STIRLING_LIMIT);
    const oneLarge = tf.greaterEqual(q, STIRLING_LIMIT);
    const limit = tf.fill(shape, STIRLING_LIMIT);
    // Branch inputs clamped so every branch stays finite (gradients through tf.where).
    const pBoth = tf.where(bothLarge, p, limit);
    const qBoth = tf.where(bothLarge, q, limit);
    const sBoth = tf.add(pBoth, qBoth);
    const both = tf.addN([
      tf.fill(shape, HALF_LOG_2PI),
      tf.mul(tf.log(qBoth), -0.5),
      tf.mul(tf.sub(pBoth, 0.5), tf.log(tf.div(pBoth, sBoth))),
      tf.mul(qBoth, log1p(tf.neg(tf.div(pBoth, sBoth)))),
      stirlingCorrection(pBoth),
      stirlingCorrection(qBoth),
      tf.neg(stirlingCorrection(sBoth)),
    ]);
    const pOne = tf.where(oneLarge, p, tf.onesLike(p));
    const qOne = tf.where(oneLarge, q, limit);
    const sOne = tf.add(pOne, qOne);
    const one = tf.addN([
      lgamma(pOne),
      pOne,
      tf.neg(tf.mul(pOne, tf.log(sOne))),
      tf.mul(tf.sub(qOne, 0.5), log1p(tf.neg(tf.div(pOne, sOne)))),
      stirlingCorrection(qOne),
      tf.neg(stirlingCorrection(sOne)),
    ]);
    const pSmall = tf.where(oneLarge, tf.onesLike(p), p);
    const qSmall = tf.where(oneLarge, tf.onesLike(q), q);
    const small = tf.sub(tf.add(lgamma(pSmall), lgamma(qSmall)), lgamma(tf.add(pSmall, qSmall)));
    return tf.where(bothLarge, both, tf.where(oneLarge, one, small));
  });
}

/**
 * Multivariate log-Beta over the last axis, `Σₖ lnΓ(αₖ) − lnΓ(Σₖ αₖ)`, as the chain
 * `Σ_{k≥2} log B(α₁ + … + α_{k−1}, αₖ)` of two-argument {@link logBeta}s (the same accuracy argument).
 */
export function logMultivariateBeta(concentration: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const k = concentration.shape[concentration.rank - 1] as number;
    const axis = concentration.rank - 1;
    const partial = tf.cumsum(concentration, axis, true); // exclusive: α₁ + … + α_{k−1}
    const size = [...concentration.shape.slice(0, -1), k - 1];
    const begin = concentration.shape.map((_, i) => (i === axis ? 1 : 0));
    const chain = logBeta(tf.slice(partial, begin, size), tf.slice(concentration, begin, size));
    return tf.sum(chain, -1);
  });
}
