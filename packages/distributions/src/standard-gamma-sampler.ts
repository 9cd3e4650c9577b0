import * as tf from '@tensorflow/tfjs-core';
import { gammaSampleConcentrationGradient } from './special/regularized-gamma.js';
import { seededRandomNormal, seededRandomUniform } from './seeded-random-ops.js';
import { deriveSeed } from './seed-derivation.js';

/** Rejection rounds of the vectorised Marsaglia–Tsang sampler; each accepts with probability > 0.95. */
const ROUNDS = 8;
/** Smallest positive normal float32: samples below it (α ≲ 0.05 draws them often) are clamped to it. */
const TINY = 2 ** -126;

/**
 * Gamma(α, 1) samples of shape `[...sampleShape, ...α.shape]`, without gradients.
 *
 * Marsaglia & Tsang (2000), vectorised: every element gets ROUNDS proposals at once and keeps its first accepted
 * one (the chance that all 8 are rejected is < 0.05⁸ = 4e-11 per element; such an element falls back to the
 * mode-like value d = α − ⅓, a documented and negligible bias). α < 1 uses the boost
 * `Gamma(α) = Gamma(α + 1)·U^{1/α}`, computed in log space. Results are clamped below at 2⁻¹²⁶.
 */
export function sampleStandardGamma(alpha: tf.Tensor, sampleShape: number[], seed: number): tf.Tensor {
  return tf.tidy(() => {
    const shape = [...sampleShape, ...alpha.shape];
    const boosted = tf.greaterEqual(1, alpha);
    const a = tf.broadcastTo(tf.where(boosted, tf.add(alpha, 1), alpha), shape);
    const d = tf.sub(a, 1 / 3);
    const c = tf.rsqrt(tf.mul(d, 9));
    const eps = seededRandomNormal([ROUNDS, ...shape], seed);
    const u = seededRandomUniform([ROUNDS, ...shape], deriveSeed(seed, 1));
    const onePlus = tf.add(1, tf.mul(c, eps));
    const v = tf.pow(onePlus, 3);
    const safeV = tf.where(tf.greater(v, 0), v, tf.onesLike(v));
    // accept ⟺ v > 0 and log u < ½ε² + d − d·v + d·log v
    const bound = tf.add(tf.mul(tf.square(eps), 0.5), tf.mul(d, tf.add(tf.sub(1, safeV), tf.log(safeV))));
    const accept = tf.logicalAnd(tf.greater(v, 0), tf.less(tf.log(u), bound));
    const candidates = tf.mul(d, safeV);
    const acceptRounds = tf.unstack(accept, 0);
    const candidateRounds = tf.unstack(candidates, 0);
    let z: tf.Tensor = d;
    for (let r = ROUNDS - 1; r >= 0; r--) z = tf.where(acceptRounds[r] as tf.Tensor, candidateRounds[r] as tf.Tensor, z);
    const boost = seededRandomUniform(shape, deriveSeed(seed, 2));
    const alphaFull = tf.broadcastTo(alpha, shape);
    const logZ = tf.add(tf.log(z), tf.where(tf.broadcastTo(boosted, shape), tf.div(tf.log(boost), alphaFull), tf.zerosLike(z)));
    return tf.maximum(tf.exp(logZ), TINY);
  });
}

/**
 * Reparameterised Gamma(α, 1) samples: the values of {@link sampleStandardGamma}, with the implicit gradient
 * `∂x/∂α = −(∂P(α, x)/∂α)/p(x; α)` (Figurnov, Mohamed & Mnih 2018) attached.
 */
export function rsampleStandardGamma(alpha: tf.Tensor, sampleShape: number[], seed: number): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const concentration = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    const x = sampleStandardGamma(concentration, sampleShape, seed);
    save([concentration, x]);
    return {
      value: x,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [alphaSaved, xSaved] = saved as [tf.Tensor, tf.Tensor];
        const dxda = gammaSampleConcentrationGradient(tf.broadcastTo(alphaSaved, xSaved.shape), xSaved);
        const perElement = tf.mul(dy, dxda);
        // Sum over the sample dimensions back to α's shape.
        return sampleShape.length === 0 ? perElement : tf.sum(perElement, sampleShape.map((_, i) => i));
      },
    };
  });
  return op(alpha);
}
