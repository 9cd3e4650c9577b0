import * as tf from '@tensorflow/tfjs-core';
import { log1p } from './log1p.js';

/**
 * `log(1 − e^{−a})` for a > 0, element-wise, differentiable, accurate for every a (Mächler 2012): `log(−expm1(−a))`
 * for a ≤ log 2, where `1 − e^{−a}` is small, and `log1p(−e^{−a})` above, where it is close to 1.
 * `a = 0` gives −Infinity; a < 0 gives NaN.
 */
export function log1mexp(a: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    // greaterEqual, not lessEqual: tfjs has no gradient for LessEqual (it would break tf.grad).
    const nearZero = tf.greaterEqual(tf.scalar(Math.LN2), a);
    // Each branch sees only arguments on which it is finite, so the unused branch's gradient is 0, not NaN.
    const aSmall = tf.where(nearZero, a, tf.fill(a.shape, Math.LN2));
    const aLarge = tf.where(nearZero, tf.fill(a.shape, Math.LN2), a);
    return tf.where(nearZero, tf.log(tf.neg(tf.expm1(tf.neg(aSmall)))), log1p(tf.neg(tf.exp(tf.neg(aLarge)))));
  });
}

/** `log(eˣ − 1)` for x > 0 (= `x + log(1 − e^{−x})`), element-wise, differentiable. */
export function logExpm1(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.add(x, log1mexp(x)));
}
