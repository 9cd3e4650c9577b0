import * as tf from '@tensorflow/tfjs-core';
import { log1p } from './log1p.js';
import { polynomial } from './gamma-argument-reduction.js';

/** Below and above these the direct form `x − log1p(x)` keeps full relative accuracy (no cancellation). */
const SERIES_LOW = -0.5;
const SERIES_HIGH = 1;
/** 1/(2j + 3), j = 0…7: Σ_{k≥1} z^{2k+1}/(2k+1) = z³ Σⱼ (z²)ʲ/(2j + 3); for |z| ≤ ⅓ the next term is < 4e-9 relative. */
const ATANH_TAIL = Array.from({ length: 8 }, (_, j) => 1 / (2 * j + 3));

function value(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const inSeries = tf.logicalAnd(tf.greaterEqual(x, SERIES_LOW), tf.greaterEqual(SERIES_HIGH, x));
    const xs = tf.where(inSeries, x, tf.zerosLike(x));
    // log1p(x) = 2 atanh(z), z = x/(2 + x) ∈ [−⅓, ⅓]; and x − 2z = x·z exactly, so
    // x − log1p(x) = x·z − 2 z³ Σⱼ (z²)ʲ/(2j + 3): a square minus a term ≤ z/3 of it, or plus one.
    const z = tf.div(xs, tf.add(xs, 2));
    const z2 = tf.square(z);
    const series = tf.sub(tf.mul(xs, z), tf.mul(tf.mul(tf.mul(z2, z), 2), polynomial(z2, ATANH_TAIL)));
    const xd = tf.where(inSeries, tf.onesLike(x), x);
    return tf.where(inSeries, series, tf.sub(xd, log1p(xd)));
  });
}

const withGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  save([x]);
  return { value: value(x), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tf.div(saved[0] as tf.Tensor, tf.add(saved[0] as tf.Tensor, 1))) };
});

/**
 * `x − log(1 + x)` for x > −1, element-wise, differentiable (`d/dx = x/(1 + x)`), ≥ 0, with full float32 relative
 * accuracy near 0 where it is ≈ x²/2 and `x − log1p(x)` cancels to noise. It measures the mismatch of a ratio
 * 1 + x in KL divergences (Gamma, Poisson-like terms `a(r − 1 − log r)`).
 */
export function xMinusLog1p(x: tf.Tensor): tf.Tensor {
  return withGradient(x);
}
