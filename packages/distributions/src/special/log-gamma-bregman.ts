import * as tf from '@tensorflow/tfjs-core';
import { digamma } from './digamma.js';
import { gaussLegendre } from './gauss-legendre.js';
import { lgamma } from './lgamma.js';
import { trigamma } from './trigamma.js';
import { xMinusLog1p } from './x-minus-log1p.js';

/** Both arguments at or above this use Stirling's series for the remainder. */
const STIRLING_LIMIT = 7.5;
/** Stirling's series lnΓ(x) = (x − ½) log x − x + ½ log 2π + Σ cₘ x^{−m}, m = 1, 3, 5, 7 (next term < 2e-12 at 7.5). */
const STIRLING = [
  { power: 1, coefficient: 1 / 12 },
  { power: 3, coefficient: -1 / 360 },
  { power: 5, coefficient: 1 / 1260 },
  { power: 7, coefficient: -1 / 1680 },
];
/** The quadrature is used where |b − a| ≤ this fraction of min(a, b): ψ₁ then varies by < 2× over [a, b]. */
const QUADRATURE_SPREAD = 0.25;

/** `min(x, y)` as a mask-free select (tf.minimum's gradient at x = y goes to one side only; here it is only a bound). */
function smaller(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return tf.where(tf.greaterEqual(y, x), x, y);
}

/**
 * `G(b, a) = lnΓ(b) − lnΓ(a) − ψ(a)(b − a) = (b − a)² ∫₀¹ (1 − v) ψ₁(a + v(b − a)) dv`, the Bregman divergence of lnΓ:
 * by 8-point Gauss–Legendre quadrature of a positive integrand where a and b are close (the direct form cancels
 * there), directly elsewhere.
 */
function logGammaBregman(b: tf.Tensor, a: tf.Tensor): tf.Tensor {
  const d = tf.sub(b, a);
  const close = tf.greaterEqual(tf.mul(smaller(a, b), QUADRATURE_SPREAD), tf.abs(d));
  const dc = tf.where(close, d, tf.zerosLike(d));
  const integral = gaussLegendre((v) => tf.mul(trigamma(tf.add(a, tf.mul(dc, v))), 1 - v));
  const quadrature = tf.mul(tf.square(dc), integral);
  const direct = tf.sub(tf.sub(lgamma(b), lgamma(a)), tf.mul(digamma(a), d));
  return tf.where(close, quadrature, direct);
}

/**
 * `R(b, a)`: the Bregman divergence at (b, a) of `lnΓ(x) − x log x + x`, i.e. `G(b, a) − b·φ(a/b − 1)` with
 * `φ(x) = x − log1p(x)`; non-negative, and 0 exactly for b = a. For a, b ≥ 7.5 it is `½φ(b/a − 1) + B_s(b, a)`,
 * B_s the Bregman divergence of Stirling's remainder Σ cₘ x^{−m}, whose terms are
 * `cₘ (a − b)²/(a²b) Σ_{k<m} (k + 1) b^{−(m−1−k)} a^{−k}` (a factorisation of b^{−m} − a^{−m} + m a^{−m−1}(b − a)):
 * no difference of large numbers anywhere. Used by KL(Gamma ‖ Gamma), which is `b·φ(w) + R(b, a)`.
 */
export function logGammaBregmanRemainder(b: tf.Tensor, a: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const shape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const ab = tf.broadcastTo(a, shape);
    const bb = tf.broadcastTo(b, shape);
    const large = tf.greaterEqual(smaller(ab, bb), STIRLING_LIMIT);
    const limit = tf.fill(shape, STIRLING_LIMIT);
    const al = tf.where(large, ab, limit);
    const bl = tf.where(large, bb, limit);
    const invA = tf.reciprocal(al);
    const invB = tf.reciprocal(bl);
    let stirling: tf.Tensor = tf.zeros(shape);
    for (const { power, coefficient } of STIRLING) {
      let sum: tf.Tensor = tf.zeros(shape);
      for (let k = 0; k < power; k++) sum = tf.add(sum, tf.mul(tf.mul(tf.pow(invB, power - 1 - k), tf.pow(invA, k)), k + 1));
      stirling = tf.add(stirling, tf.mul(sum, coefficient));
    }
    const diff = tf.sub(al, bl);
    const asymptotic = tf.add(tf.mul(xMinusLog1p(tf.div(tf.neg(diff), al)), 0.5), tf.mul(tf.div(tf.square(diff), tf.mul(tf.square(al), bl)), stirling));
    const as = tf.where(large, tf.onesLike(ab), ab);
    const bs = tf.where(large, tf.onesLike(bb), bb);
    const small = tf.sub(logGammaBregman(bs, as), tf.mul(bs, xMinusLog1p(tf.div(tf.sub(as, bs), bs))));
    return tf.where(large, asymptotic, small);
  });
}
