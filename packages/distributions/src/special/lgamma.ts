import * as tf from '@tensorflow/tfjs-core';
import { log1p } from './log1p.js';
import { EULER_GAMMA, ZETA_MINUS_ONE, polynomial, reduceGammaArgument } from './gamma-argument-reduction.js';
import { digamma } from './digamma.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

// lnΓ(2 + p) = p · Σ_{i≥0} cᵢ pⁱ with c₀ = 1 − γ and c_{n−1} = (−1)ⁿ (ζ(n) − 1)/n.
const SERIES = [1 - EULER_GAMMA, ...ZETA_MINUS_ONE.map((z, i) => ((i % 2 === 0 ? 1 : -1) * z) / (i + 2))];

function lgammaValue(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const r = reduceGammaArgument(x);
    // Series branch: lnΓ(x) = lnΓ(w) + log Π(w + j) − [k ≤ −1] log x − [k = −2] log(1 + x).
    const up = r.upFactors.map((f, j) => tf.where(r.upMasks[j] as tf.Tensor, f, tf.onesLike(f))).reduce((a, b) => tf.mul(a, b));
    let small = tf.add(tf.mul(r.p, polynomial(r.p, SERIES)), tf.log(up));
    small = tf.sub(small, tf.where(r.downByX, tf.log(r.xSmall), tf.zerosLike(x)));
    small = tf.sub(small, tf.where(r.downByXPlusOne, log1p(r.xSmall), tf.zerosLike(x)));
    // Stirling: (x − ½) log x − x + ½ log 2π + 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷).
    const z = r.xLarge;
    const inv = tf.reciprocal(z);
    const inv2 = tf.square(inv);
    const correction = tf.mul(inv, polynomial(inv2, [1 / 12, -1 / 360, 1 / 1260, -1 / 1680]));
    const large = tf.add(tf.sub(tf.mul(tf.sub(z, 0.5), tf.log(z)), z), tf.add(correction, HALF_LOG_2PI));
    return tf.where(r.large, large, small);
  });
}

const lgammaWithGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  save([x]);
  return {
    value: lgammaValue(x),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, digamma(saved[0] as tf.Tensor)),
  };
});

/**
 * Log-gamma function `ln Γ(x)` for x > 0, element-wise, differentiable (`d/dx = ψ(x)`, {@link digamma}).
 *
 * Float32 accuracy: about 1e-7 relative, including near the zeros x = 1 and x = 2 and for tiny x
 * (`lnΓ(x) ≈ −log x`). Below 7.5 a shift to [1.5, 2.5) and the Taylor series around 2 are used; above it,
 * Stirling's series. Elements x ≤ 0 give NaN (the reflection formula is not implemented: no distribution here
 * needs it).
 */
export function lgamma(x: tf.Tensor): tf.Tensor {
  return lgammaWithGradient(x);
}
