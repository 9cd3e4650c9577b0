import * as tf from '@tensorflow/tfjs-core';

const log1pWithGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  save([x]);
  const value = tf.tidy(() => {
    // Goldberg's trick: with u = fl(1 + x), log(u)·x/(u − 1) is accurate to a few ulps for every x > −1, because
    // the rounding error of u cancels between log(u) and u − 1. Where u = 1 exactly, log1p(x) = x to float32.
    const u = tf.add(x, 1);
    const d = tf.sub(u, 1);
    const exact = tf.greaterEqual(0, tf.abs(d));
    return tf.where(exact, x, tf.div(tf.mul(tf.log(u), x), tf.where(exact, tf.onesLike(d), d)));
  });
  return { value, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.div(dy, tf.add(saved[0] as tf.Tensor, 1)) };
});

/**
 * `log(1 + x)` for x > −1, element-wise, accurate to float32 rounding on every backend, differentiable
 * (`d/dx = 1/(1 + x)`).
 *
 * Why not `tf.log1p`: the wasm backend's kernel evaluates `log(1 + x)` in float32, so `log1p(1e-7)` comes out as
 * 1.19e-7 (19 % off) and every `log1p(e^{−a})` tail (softplus, log1mexp, Bernoulli log-probabilities) loses digits
 * there. The cpu backend's kernel (Math.log1p) is accurate; this op gives the same results on both.
 */
export function log1p(x: tf.Tensor): tf.Tensor {
  return log1pWithGradient(x);
}
