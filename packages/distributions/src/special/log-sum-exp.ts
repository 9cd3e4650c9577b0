import * as tf from '@tensorflow/tfjs-core';
import { stopGradient } from '../stop-gradient.js';

/**
 * `log Σ exp(x)` along `axis` (all axes by default), differentiable (the gradient is the softmax).
 *
 * The maximum is subtracted first, so nothing overflows. Unlike `tf.logSumExp`, a slice whose entries are all
 * −Infinity (an empty mixture, a zero-probability row) gives −Infinity, not NaN, and +Infinity gives +Infinity.
 */
export function logSumExp(x: tf.Tensor, axis?: number | number[], keepDims = false): tf.Tensor {
  return tf.tidy(() => {
    // The result does not depend on the shift, so no gradient flows through it.
    const rawMax = stopGradient(tf.max(x, axis, true));
    // A non-finite maximum would make x − max NaN; 0 is as good a shift there (the sum is 0 or Infinity).
    const shift = tf.where(tf.isFinite(rawMax), rawMax, tf.zerosLike(rawMax));
    const summed = tf.log(tf.sum(tf.exp(tf.sub(x, shift)), axis, keepDims));
    return tf.add(summed, tf.reshape(shift, summed.shape));
  });
}
