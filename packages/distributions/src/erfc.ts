import * as tf from '@tensorflow/tfjs-core';
import { log1p } from './special/log1p.js';

// Why this file exists: tfjs's `erf` kernel (cpu, wasm) is the Abramowitz–Stegun 7.1.26 fit with an
// *absolute* error of 1.5e-7, so `1 − erf(x)` has no correct digit once erfc(x) < 1e-7 (x > 3.8), and a
// normal cdf built on it is useless in the lower tail. Here erfc is evaluated directly, in log space.
//
// For a ≥ 0 (Numerical Recipes §6.2, Chebyshev fit, fractional error < 1.2e-7 for every a ≥ 0):
//   erfc(a) = t·exp(−a² + P(t)),   t = 1/(1 + a/2).
// In float32, `a²` itself would carry a relative rounding error of 6e-8, i.e. an absolute error of
// 6e-8·a² in the exponent (6e-6 relative in erfc at a = 10). We split a = hi + lo with hi on a 1/256 grid,
// so hi² is exact for a < 16 and a² = hi² + (a − hi)(a + hi) loses nothing that matters.

const ERFC_COEFFICIENTS = [
  -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223,
  0.17087277,
];

/** log erfc(a) for a ≥ 0, differentiable (the split point `hi` is piecewise constant); −∞ at a = +∞. */
function logErfcNonNegative(aIn: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    // a = +∞ would make a − hi = ∞ − ∞: evaluated at 0 there (a zero gradient), the result set to −∞.
    const infinite = tf.greaterEqual(aIn, Infinity);
    const a = tf.where(infinite, tf.zerosLike(aIn), aIn);
    const t = tf.reciprocal(tf.add(tf.mul(a, 0.5), 1));
    let poly: tf.Tensor = tf.scalar(ERFC_COEFFICIENTS[ERFC_COEFFICIENTS.length - 1] as number);
    for (let i = ERFC_COEFFICIENTS.length - 2; i >= 0; i--) poly = tf.add(tf.mul(poly, t), ERFC_COEFFICIENTS[i] as number);
    const hi = tf.div(tf.floor(tf.mul(a, 256)), 256);
    const aSquared = tf.add(tf.square(hi), tf.mul(tf.sub(a, hi), tf.add(a, hi)));
    return tf.where(infinite, tf.fill(a.shape, -Infinity), tf.add(tf.log(t), tf.sub(poly, aSquared)));
  });
}

/**
 * Complementary error function `erfc(x) = 1 − erf(x)`, accurate to about 1e-6 relative for every x
 * (including the far right tail, where `1 − tf.erf(x)` is 0 or noise), differentiable.
 */
export function erfc(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const negative = tf.less(x, 0);
    // where(), not abs(): abs has gradient 0 at x = 0, erfc has −2/√π there.
    const a = tf.where(negative, tf.neg(x), x);
    const tail = tf.exp(logErfcNonNegative(a));
    return tf.where(negative, tf.sub(2, tail), tail);
  });
}

/** `log erfc(x)`, finite for all finite x (≈ −x² for large x, where erfc itself underflows). */
export function logErfc(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const negative = tf.less(x, 0);
    const a = tf.where(negative, tf.neg(x), x);
    const logTail = logErfcNonNegative(a);
    // x < 0: log(2 − erfc(|x|)) = log 2 + log1p(−erfc(|x|)/2), exact as erfc(|x|) → 0.
    const leftBranch = tf.add(Math.LN2, log1p(tf.mul(tf.exp(logTail), -0.5)));
    return tf.where(negative, leftBranch, logTail);
  });
}

/** Standard normal cdf `Φ(z) = ½ erfc(−z/√2)`, accurate in both tails. */
export function ndtr(z: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(erfc(tf.mul(z, -Math.SQRT1_2)), 0.5));
}

/** `log Φ(z)`, finite far into the lower tail (z ≈ −37 and beyond, where Φ underflows float32). */
export function logNdtr(z: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(logErfc(tf.mul(z, -Math.SQRT1_2)), Math.LN2));
}
