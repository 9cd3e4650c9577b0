import * as tf from '@tensorflow/tfjs-core';
import { EULER_GAMMA, ZETA_MINUS_ONE, polynomial, reduceGammaArgument } from './gamma-argument-reduction.js';
import { trigamma } from './trigamma.js';

// ψ(2 + p) = (1 − γ) + Σ_{n≥2} (−1)ⁿ (ζ(n) − 1) p^{n−1}.
const SERIES = [1 - EULER_GAMMA, ...ZETA_MINUS_ONE.map((z, i) => (i % 2 === 0 ? 1 : -1) * z)];

function digammaValue(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const r = reduceGammaArgument(x);
    // ψ(x) = ψ(w) + Σ_{j<k} 1/(w + j) − [k ≤ −1]/x − [k = −2]/(x + 1).
    let small = polynomial(r.p, SERIES);
    r.upFactors.forEach((f, j) => {
      small = tf.add(small, tf.where(r.upMasks[j] as tf.Tensor, tf.reciprocal(f), tf.zerosLike(x)));
    });
    small = tf.sub(small, tf.where(r.downByX, tf.reciprocal(r.xSmall), tf.zerosLike(x)));
    small = tf.sub(small, tf.where(r.downByXPlusOne, tf.reciprocal(tf.add(r.xSmall, 1)), tf.zerosLike(x)));
    // ψ(x) ~ log x − 1/(2x) − 1/(12x²) + 1/(120x⁴) − 1/(252x⁶) + 1/(240x⁸) − 1/(132x¹⁰).
    const z = r.xLarge;
    const inv = tf.reciprocal(z);
    const inv2 = tf.square(inv);
    const series = tf.mul(inv2, polynomial(inv2, [-1 / 12, 1 / 120, -1 / 252, 1 / 240, -1 / 132]));
    const large = tf.add(tf.sub(tf.log(z), tf.mul(inv, 0.5)), series);
    return tf.where(r.large, large, small);
  });
}

const digammaWithGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  save([x]);
  return {
    value: digammaValue(x),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, trigamma(saved[0] as tf.Tensor)),
  };
});

/**
 * Digamma function `ψ(x) = d/dx ln Γ(x)` for x > 0, element-wise, differentiable (`d/dx = ψ₁(x)`,
 * {@link trigamma}).
 *
 * Float32 accuracy: about 1e-7 relative, except within ~1e-3 of the positive root x₀ ≈ 1.4616 where it is
 * about 1e-7 *absolute* (ψ(x) = ψ(x + 1) − 1/x cancels there). Elements x ≤ 0 give NaN or ±Infinity.
 */
export function digamma(x: tf.Tensor): tf.Tensor {
  return digammaWithGradient(x);
}
