import * as tf from '@tensorflow/tfjs-core';

// Shared by lgamma, digamma and trigamma (float32, x > 0).
//
// Below SERIES_LIMIT the argument is moved by an integer k into w = x − k ∈ [1.5, 2.5) with the recurrence
// Γ(w + 1) = w·Γ(w), and the function is evaluated by its Taylor series around 2 in p = w − 2, |p| ≤ ½:
//   lnΓ(2 + p) = (1 − γ)p + Σ_{n≥2} (−1)ⁿ (ζ(n) − 1)/n · pⁿ
// whose coefficients fall like 4⁻ⁿ on |p| ≤ ½. Why around 2 and not Stirling with a shift: p = x − (k + 2)
// is *exact* in float32 (Sterbenz), so lnΓ keeps full relative accuracy at its zeros x = 1 and x = 2,
// where `lnΓ(x + 8) − log(x(x+1)…(x+7))` cancels to noise. Above the limit, Stirling's series is used.

/** Above this, asymptotic (Stirling-type) series; the truncation error there is < 1e-11. */
export const SERIES_LIMIT = 7.5;

/** Euler–Mascheroni constant γ. */
export const EULER_GAMMA = 0.5772156649015329;

/** ζ(n) − 1 for n = 2, 3, …, 17 (scipy.special.zetac, float64). */
export const ZETA_MINUS_ONE = [
  0.6449340668482264, 0.2020569031595943, 0.08232323371113819, 0.03692775514336993, 0.01734306198444914,
  0.008349277381922827, 0.00407735619794434, 0.0020083928260822143, 0.0009945751278180853, 0.0004941886041194645,
  0.0002460865533080483, 0.00012271334757848915, 6.124813505870483e-5, 3.058823630702049e-5, 1.528225940865187e-5,
  7.637197637899763e-6,
];

// Masks are built with greaterEqual only: tfjs registers no gradient for Less/LessEqual/Equal, and a
// comparison on the path from x to the result must have one for tf.grad to run (its gradient is zero).

/** The pieces of the argument reduction, element-wise. */
export interface ReducedGammaArgument {
  /** Elements that use the asymptotic branch (x ≥ SERIES_LIMIT). */
  large: tf.Tensor;
  /** x on the series branch, 2 elsewhere (so the unused branch stays finite, also for gradients). */
  xSmall: tf.Tensor;
  /** x on the asymptotic branch, SERIES_LIMIT elsewhere. */
  xLarge: tf.Tensor;
  /** p = x − (k + 2) ∈ [−½, ½), exact. */
  p: tf.Tensor;
  /** The shift k ∈ {−2, …, 5} as a float tensor. */
  k: tf.Tensor;
  /** The factors w + j (j = 0…4) of Γ(x)/Γ(w) = Π_{j<k} (w + j) for k > 0. */
  upFactors: tf.Tensor[];
  /** upMasks[j]: elements with j < k, whose Γ(x) includes the factor w + j. */
  upMasks: tf.Tensor[];
  /** k ≤ −1: Γ(x) = Γ(w)/(x·…): mask of elements divided by x. */
  downByX: tf.Tensor;
  /** k = −2: mask of elements also divided by x + 1. */
  downByXPlusOne: tf.Tensor;
}

/** Splits x into the series and asymptotic branches and computes the shift (see the file comment). */
export function reduceGammaArgument(x: tf.Tensor): ReducedGammaArgument {
  const large = tf.greaterEqual(x, SERIES_LIMIT);
  const xSmall = tf.where(large, tf.fill(x.shape, 2), x);
  const xLarge = tf.where(large, x, tf.fill(x.shape, SERIES_LIMIT));
  // floor has a zero gradient, so k (and the branch choice) is piecewise constant, as it should be.
  const k = tf.sub(tf.floor(tf.add(xSmall, 0.5)), 2);
  const p = tf.sub(xSmall, tf.add(k, 2));
  const w = tf.add(p, 2);
  const upFactors: tf.Tensor[] = [];
  const upMasks: tf.Tensor[] = [];
  for (let j = 0; j < 5; j++) {
    upFactors.push(tf.add(w, j));
    upMasks.push(tf.greaterEqual(k, j + 1));
  }
  return {
    large,
    xSmall,
    xLarge,
    p,
    k,
    upFactors,
    upMasks,
    downByX: tf.greaterEqual(tf.scalar(-1), k),
    downByXPlusOne: tf.greaterEqual(tf.scalar(-2), k),
  };
}

/** Horner evaluation of Σ cᵢ pⁱ. */
export function polynomial(p: tf.Tensor, coefficients: readonly number[]): tf.Tensor {
  let result: tf.Tensor = tf.fill(p.shape, coefficients[coefficients.length - 1] as number);
  for (let i = coefficients.length - 2; i >= 0; i--) result = tf.add(tf.mul(result, p), coefficients[i] as number);
  return result;
}
