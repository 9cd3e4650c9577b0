// Test-only numeric assertions shared by every distribution's tests.
import * as tf from '@tensorflow/tfjs-core';
import { flat, type NumericArray } from './fixtures.js';

/** Tolerance `|actual − expected| ≤ atol + rtol·|expected|`. */
export interface Tolerance {
  rtol: number;
  atol: number;
}

/**
 * The acceptance tolerance against float64 SciPy references for float32 results: 1e-5 relative.
 *
 * The absolute floor (1e-6) is there because most quantities here (log densities, entropies, KLs) are sums
 * of terms of size 1–20 that may cancel to ≈ 0 (e.g. the entropy ½ log(2πe σ²) at σ ≈ 0.242). Each float32
 * term carries a rounding error of ~2⁻²⁴·|term| ≈ 1e-7 to 1e-6 absolute, which no formula can remove, and
 * which is unbounded *relative* to a result near 0. Quantities that are not such sums (cdf, probabilities)
 * use {@link PROBABILITY_TOLERANCE} with a floor far below their smallest value.
 */
export const REFERENCE_TOLERANCE: Tolerance = { rtol: 1e-5, atol: 1e-6 };

/** Relative 1e-5 with a negligible floor: for cdfs and probabilities, which are not cancelling sums. */
export const PROBABILITY_TOLERANCE: Tolerance = { rtol: 1e-5, atol: 1e-30 };

/**
 * Float32 `tf.grad` against float64 finite differences of the SciPy reference. Gradients of float32
 * programs lose more digits than values (e.g. ∂logp/∂σ = (z² − 1)/σ cancels at |z| ≈ 1), so 1e-4
 * relative with a floor of 1e-4 times the largest gradient magnitude in the batch is used.
 */
export const GRADIENT_RTOL = 1e-4;

/** Element-wise comparison; the failure message names the worst element and its inputs. */
export function expectClose(
  actual: ArrayLike<number> | tf.Tensor,
  expected: NumericArray,
  tolerance: Tolerance,
  label: string,
  context: (index: number) => string = () => '',
): void {
  const a = actual instanceof tf.Tensor ? Array.from(actual.dataSync()) : Array.from(actual);
  const e = flat(expected);
  if (a.length !== e.length) throw new Error(`${label}: length ${a.length}, expected ${e.length}`);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < e.length; i++) {
    const ai = a[i] as number;
    const ei = e[i] as number;
    const allowed = tolerance.atol + tolerance.rtol * Math.abs(ei);
    const excess = Number.isNaN(ai) ? Infinity : Math.abs(ai - ei) / allowed;
    if (excess > 1 && excess > worstExcess) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    const ai = a[worst] as number;
    const ei = e[worst] as number;
    throw new Error(
      `${label}[${worst}]: got ${ai}, expected ${ei} (|diff| ${Math.abs(ai - ei)}, relative ${Math.abs(ai - ei) / Math.abs(ei)}, ` +
        `${worstExcess.toFixed(1)}× the tolerance) ${context(worst)}`,
    );
  }
}

/** Gradient comparison with {@link GRADIENT_RTOL} and a floor relative to the batch's largest gradient. */
export function expectGradientClose(actual: tf.Tensor | undefined | null, expected: NumericArray, label: string): void {
  if (actual === undefined || actual === null) throw new Error(`${label}: no gradient`);
  const e = flat(expected);
  const largest = Math.max(...e.map(Math.abs));
  expectClose(actual, expected, { rtol: GRADIENT_RTOL, atol: GRADIENT_RTOL * largest }, label);
}

/** Mean and standard error of the mean of `values`, computed in float64. */
export function meanAndStandardError(values: ArrayLike<number>): { mean: number; standardError: number } {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += ((values[i] as number) - mean) ** 2;
  return { mean, standardError: Math.sqrt(squares / (n - 1) / n) };
}

/**
 * Monte-Carlo check: the sample mean of `values` is within `sigmas` standard errors of `expected`.
 * The standard error is estimated from the same samples. Seeds are fixed, so the test is deterministic,
 * and a wrong formula moves the estimate by far more than 4 standard errors.
 */
export function expectWithinStandardErrors(values: ArrayLike<number>, expected: number, label: string, sigmas = 4): void {
  const { mean, standardError } = meanAndStandardError(values);
  if (!Number.isFinite(mean) || Math.abs(mean - expected) > sigmas * standardError) {
    throw new Error(`${label}: Monte-Carlo ${mean} ± ${standardError} (1 s.e.), expected ${expected} (off by ${((mean - expected) / standardError).toFixed(2)} s.e.)`);
  }
}

/**
 * Checks a sample variance against `expected` within `sigmas` standard errors, where the standard
 * error of the variance estimate comes from the fourth central moment: √((m₄ − s⁴)/n).
 */
export function expectVarianceWithinStandardErrors(values: ArrayLike<number>, expected: number, label: string, sigmas = 4): void {
  const { mean } = meanAndStandardError(values);
  const squared = Float64Array.from({ length: values.length }, (_, i) => ((values[i] as number) - mean) ** 2);
  expectWithinStandardErrors(squared, expected, label, sigmas);
}

/** Values of column `j` of a row-major `[n, columns]` array. */
export function column(values: ArrayLike<number>, columns: number, j: number): Float64Array {
  const n = values.length / columns;
  return Float64Array.from({ length: n }, (_, i) => values[i * columns + j] as number);
}

/** Runs `body` and fails if it leaves tensors behind. */
export function expectNoTensorLeak(body: () => void): void {
  const before = tf.memory().numTensors;
  body();
  const after = tf.memory().numTensors;
  if (after !== before) throw new Error(`tensor leak: ${after - before} tensor(s) left behind`);
}

/** Fails if any element is NaN or ±Infinity. */
export function expectAllFinite(tensor: tf.Tensor, label: string): void {
  const values = tensor.dataSync();
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`${label}[${bad}] is ${values[bad]}`);
}

/**
 * Fourth-order central finite difference of `sum(f(x))` with respect to every element of `x`, evaluated in
 * float32 through tfjs itself: (−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h))/(12h). With h ≈ 1e-2·max(1,|x|)
 * the truncation error is O(h⁴) ≈ 1e-8 and the rounding error ≈ 2⁻²⁴·|f|/h ≈ 1e-5 relative; used where no
 * float64 reference exists (rsample, whose noise only tfjs can reproduce).
 */
export function finiteDifferenceGradient(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): Float64Array {
  const base = Float64Array.from(x.dataSync());
  const out = new Float64Array(base.length);
  const evaluate = (values: Float64Array): number =>
    tf.tidy(() => {
      const y = f(tf.tensor(Float32Array.from(values), x.shape, 'float32'));
      return Array.from(y.dataSync()).reduce((s, v) => s + v, 0);
    });
  for (let i = 0; i < base.length; i++) {
    // A power of two, so that x ± k·h is (nearly always) exact in float32 and the stencil stays symmetric.
    const h = 2 ** Math.round(Math.log2(1e-2 * Math.max(1, Math.abs(base[i] as number))));
    const shifted = (k: number): number => {
      const v = Float64Array.from(base);
      v[i] = (base[i] as number) + k * h;
      return evaluate(v);
    };
    out[i] = (-shifted(2) + 8 * shifted(1) - 8 * shifted(-1) + shifted(-2)) / (12 * h);
  }
  return out;
}
