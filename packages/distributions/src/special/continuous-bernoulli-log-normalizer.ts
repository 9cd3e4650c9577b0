import * as tf from '@tensorflow/tfjs-core';
import { polynomial } from './gamma-argument-reduction.js';
import { softplus } from './softplus.js';

/** Below this |η| the Taylor series is used (truncation error < 1e-11 there). */
const SERIES_LIMIT = 0.5;
// log C(a) = log 2 + a²/12 − 7a⁴/1440 + 31a⁶/90720 − 127a⁸/4838400 + O(a¹⁰), as a polynomial in a².
const SERIES = [Math.LN2, 1 / 12, -7 / 1440, 31 / 90720, -127 / 4838400];

/**
 * Log-normaliser `log C(η)` of the continuous Bernoulli distribution in its logits η = log(λ/(1 − λ)),
 * element-wise, differentiable. `p(x | λ) = C(λ)·λˣ(1 − λ)^{1−x}` on [0, 1], with
 *
 *   C(λ) = 2·atanh(1 − 2λ)/(1 − 2λ) = η / tanh(η/2),   C = 2 at λ = ½ (η = 0).
 *
 * Why in logits: the usual form in λ is 0/0 at λ = ½ and loses all digits near it (torch clamps λ to
 * [0.499, 0.501] and switches to a Taylor series). In η the function is even and smooth: with a = |η|,
 * `log C = log(a/(1 − e^{−a})) + softplus(−a)` (no cancellation for a ≥ ½), and the Taylor series in a² below ½.
 */
export function continuousBernoulliLogNormalizer(logits: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const a = tf.abs(logits);
    const farFromHalf = tf.greaterEqual(a, SERIES_LIMIT); // greaterEqual: Less has no gradient in tfjs
    // Keep each branch on arguments where it is finite, so the unused branch's gradient is 0, not NaN.
    const aSeries = tf.where(farFromHalf, tf.zerosLike(a), a);
    const aExact = tf.where(farFromHalf, a, tf.fill(a.shape, SERIES_LIMIT));
    const series = polynomial(tf.square(aSeries), SERIES);
    const exact = tf.add(tf.log(tf.div(aExact, tf.neg(tf.expm1(tf.neg(aExact))))), softplus(tf.neg(aExact)));
    return tf.where(farFromHalf, exact, series);
  });
}
