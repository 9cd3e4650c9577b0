import * as tf from '@tensorflow/tfjs-core';
import { ZETA_MINUS_ONE, polynomial, reduceGammaArgument } from './gamma-argument-reduction.js';

// ψ₁(2 + p) = Σ_{n≥2} (−1)ⁿ (n − 1)(ζ(n) − 1) p^{n−2}.
const SERIES = ZETA_MINUS_ONE.map((z, i) => (i % 2 === 0 ? 1 : -1) * (i + 1) * z);

/**
 * Trigamma function `ψ₁(x) = d²/dx² ln Γ(x)` for x > 0, element-wise. Differentiable by automatic
 * differentiation of the evaluation below (both branches are kept finite), which gives ψ₂ to about 1e-6.
 *
 * Float32 accuracy: about 1e-7 relative. `ψ₁(x) ≈ 1/x²` overflows float32 for x < 5e-20.
 */
export function trigamma(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const r = reduceGammaArgument(x);
    // ψ₁(x) = ψ₁(w) − Σ_{j<k} 1/(w + j)² + [k ≤ −1]/x² + [k = −2]/(x + 1)².
    let small = polynomial(r.p, SERIES);
    r.upFactors.forEach((f, j) => {
      small = tf.sub(small, tf.where(r.upMasks[j] as tf.Tensor, tf.reciprocal(tf.square(f)), tf.zerosLike(x)));
    });
    small = tf.add(small, tf.where(r.downByX, tf.reciprocal(tf.square(r.xSmall)), tf.zerosLike(x)));
    small = tf.add(small, tf.where(r.downByXPlusOne, tf.reciprocal(tf.square(tf.add(r.xSmall, 1))), tf.zerosLike(x)));
    // ψ₁(x) ~ 1/x + 1/(2x²) + 1/(6x³) − 1/(30x⁵) + 1/(42x⁷) − 1/(30x⁹) + 5/(66x¹¹).
    const z = r.xLarge;
    const inv = tf.reciprocal(z);
    const inv2 = tf.square(inv);
    const tail = tf.mul(tf.mul(inv2, inv), polynomial(inv2, [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66]));
    const large = tf.add(tf.add(inv, tf.mul(inv2, 0.5)), tail);
    return tf.where(r.large, large, small);
  });
}
