import * as tf from '@tensorflow/tfjs-core';
import { log1p } from './log1p.js';
import { digamma } from './digamma.js';
import { polynomial } from './gamma-argument-reduction.js';

/** Both arguments at or above this use the asymptotic difference. */
const LIMIT = 7.5;

/** ψ(z) − log z ≈ −1/(2z) − 1/(12z²) + 1/(120z⁴) − 1/(252z⁶) + 1/(240z⁸) − 1/(132z¹⁰) (z ≥ 7.5). */
function digammaMinusLog(z: tf.Tensor): tf.Tensor {
  const inv = tf.reciprocal(z);
  const inv2 = tf.square(inv);
  return tf.sub(tf.mul(inv2, polynomial(inv2, [-1 / 12, 1 / 120, -1 / 252, 1 / 240, -1 / 132])), tf.mul(inv, 0.5));
}

/**
 * `ψ(x) − ψ(y)`, element-wise, differentiable. For x, y ≥ 7.5 it is `log1p((x − y)/y)` plus the difference of the
 * asymptotic tails, instead of the difference of two ψ values: in Beta/Dirichlet entropies and KLs it is
 * multiplied by a concentration, and `(a − 1)(ψ(a) − ψ(a + b))` from two float32 ψ values near 4 loses ~1e-5
 * absolute at a = 25.
 */
export function digammaDifference(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const shape = tf.broadcast_util.assertAndGetBroadcastShape(x.shape, y.shape);
    const xb = tf.broadcastTo(x, shape);
    const yb = tf.broadcastTo(y, shape);
    // min(x, y) ≥ LIMIT without tf.minimum (whose gradient at x = y goes to one side only; here only a mask).
    const large = tf.greaterEqual(tf.where(tf.greaterEqual(yb, xb), xb, yb), LIMIT);
    const limit = tf.fill(shape, LIMIT);
    const xl = tf.where(large, xb, limit);
    const yl = tf.where(large, yb, limit);
    const asymptotic = tf.add(log1p(tf.div(tf.sub(xl, yl), yl)), tf.sub(digammaMinusLog(xl), digammaMinusLog(yl)));
    const direct = tf.sub(digamma(xb), digamma(yb));
    return tf.where(large, asymptotic, direct);
  });
}
