import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, describeValue } from './errors.js';
import { polynomial } from './special/gamma-argument-reduction.js';
import { log1p } from './special/log1p.js';
import { toFloatTensor } from './tensor-checks.js';

/** From this order on, Debye's uniform asymptotic expansion (4 terms) is accurate to < 1.3e-7 (log I) for every x. */
const DEBYE_MIN_ORDER = 15;
/** Below this argument, orders < {@link DEBYE_MIN_ORDER} use the power series (its terms are all positive). */
const SERIES_MAX_ARGUMENT = 10;
/** Terms of the power series; at x = 10, ν = 0 the last one is < 1e-13 of the sum. */
const SERIES_TERMS = 28;

/** Debye polynomials u_k(t) (ascending powers of t), k = 1..4: I_ν(νz) ~ e^{νη}/√(2πν)(1 + z²)^{−¼} Σ u_k(t)/ν^k. */
const DEBYE_U = [
  [0, 3, 0, -5].map((c) => c / 24),
  [0, 0, 81, 0, -462, 0, 385].map((c) => c / 1152),
  [0, 0, 0, 30375, 0, -369603, 0, 765765, 0, -425425].map((c) => c / 414720),
  [0, 0, 0, 0, 4465125, 0, -94121676, 0, 349922430, 0, -446185740, 0, 185910725].map((c) => c / 39813120),
];
/**
 * q_k(t) = (u_k(t) − v_k(t))/(1 − t²), with v_k Debye's polynomials of I′_ν. The difference vanishes at t = 1 (z → 0),
 * so dividing it out on the host (polynomial division, exact in rationals) avoids a 0/0 in float32 at small z.
 */
const DEBYE_Q = [
  [0, 12].map((c) => c / 24),
  [0, 0, 216, 0, -840].map((c) => c / 1152),
  [0, 0, 0, 72900, 0, -748440, 0, 900900].map((c) => c / 414720),
  [0, 0, 0, 0, 10206000, 0, -195150384, 0, 551350800, 0, -387987600].map((c) => c / 39813120),
];

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) on the host in float64 for x ≥ ½ (Lanczos, g = 7; relative error ~1e-15). */
export function lgammaHost(x: number): number {
  const y = x - 1;
  let a = LANCZOS[0] as number;
  const t = y + 7.5;
  for (let i = 1; i < LANCZOS.length; i++) a += (LANCZOS[i] as number) / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

function assertOrder(order: number): void {
  if (typeof order !== 'number' || !Number.isFinite(order) || order < 0) {
    throw new InvalidArgumentError('order', 'a finite number ≥ 0', describeValue(order));
  }
}

/** log(I_ν(x)e^{−x}), s = 1 − I_{ν+1}/I_ν and A = I_{ν+1}/I_ν, each accurate on its own (no 1 − A cancellation). */
interface BesselParts {
  logIve: tf.Tensor;
  complement: tf.Tensor;
  ratio: tf.Tensor;
  [key: string]: tf.Tensor;
}

/**
 * Debye's uniform expansion at order ν ≥ 15, in forms without cancellation (R = √(ν² + x²), t = ν/R, a = ν²/(R + x)):
 * - `log I_ν(x) − x = a − ν·log1p((ν + a)/x) − ½ log(2πR) + log U`, U = 1 + Σ u_k(t)/ν^k
 *   (νη − x = a and ν log(z/(1 + √(1 + z²))) = −ν log1p((ν + a)/x), z = x/ν);
 * - `1 − I_{ν+1}/I_ν = ν(1 + x/(R + ν))/(x + R) + (x/R)·Q/U`, Q = Σ q_k(t)/ν^k, from
 *   I_{ν+1}/I_ν = I′_ν/I_ν − ν/x = (R·V/U − ν)/x.
 */
function debye(order: number, x: tf.Tensor): BesselParts {
  const r = tf.sqrt(tf.add(tf.square(x), order * order));
  const t = tf.div(order, r);
  let u: tf.Tensor = tf.onesLike(x);
  let q: tf.Tensor = tf.zerosLike(x);
  for (let k = DEBYE_U.length; k >= 1; k--) {
    u = tf.add(u, tf.div(polynomial(t, DEBYE_U[k - 1] as number[]), order ** k));
    q = tf.add(q, tf.div(polynomial(t, DEBYE_Q[k - 1] as number[]), order ** k));
  }
  const a = tf.div(order * order, tf.add(r, x));
  const logIve = tf.add(tf.sub(tf.sub(a, tf.mul(order, log1p(tf.div(tf.add(a, order), x)))), tf.mul(0.5, tf.log(tf.mul(r, 2 * Math.PI)))), tf.log(u));
  const leading = tf.div(tf.mul(order, tf.add(1, tf.div(x, tf.add(r, order)))), tf.add(x, r));
  const complement = tf.add(leading, tf.div(tf.mul(tf.div(x, r), q), u));
  // A = (R·V/U − ν)/x = x·(1/(R + ν) − Q/(R·U)), accurate where A is small (x ≪ ν), where 1 − s would cancel.
  const ratio = tf.mul(x, tf.sub(tf.reciprocal(tf.add(r, order)), tf.div(q, tf.mul(r, u))));
  return { logIve, complement, ratio };
}

/**
 * `log(I_ν(x)e^{−x})` and `1 − I_{ν+1}(x)/I_ν(x)` without gradients. Orders below 15 start from Debye's expansion at
 * M = ν + ⌈15 − ν⌉ and recur downwards, `I_{j−1} = I_j·(2j/x + I_{j+1}/I_j)`: every term is positive, so the recurrence
 * cannot cancel; with s_j = 1 − I_{j+1}/I_j it reads `s_{j−1} = (2j/x − s_j)/(1 + 2j/x − s_j)` and
 * `log ive_{j−1} = log ive_j + log1p(2j/x − s_j)`. For x ≤ 10 the log comes from the power series instead,
 * `log I_ν(x) = ν log(x/2) − lnΓ(ν + 1) + log Σ_k (x²/4)^k/(k!(ν + 1)_k)` (Horner, positive terms).
 */
function besselParts(order: number, x: tf.Tensor, withLog = true): BesselParts {
  return tf.tidy(() => {
    if (order >= DEBYE_MIN_ORDER) return { ...debye(order, x) };
    if (!withLog) {
      const start = debye(order + Math.ceil(DEBYE_MIN_ORDER - order), x);
      let s = start.complement;
      let ratio = start.ratio;
      for (let j = order + Math.ceil(DEBYE_MIN_ORDER - order); j > order + 0.5; j--) {
        const d = tf.sub(tf.div(2 * j, x), s);
        s = tf.div(d, tf.add(d, 1));
        ratio = tf.reciprocal(tf.add(d, 1));
      }
      return { logIve: start.logIve, complement: s, ratio };
    }
    const steps = Math.ceil(DEBYE_MIN_ORDER - order);
    const start = debye(order + steps, x);
    let s = start.complement;
    let ratio = start.ratio;
    let logSum: tf.Tensor = tf.zerosLike(x);
    for (let j = order + steps; j > order + 0.5; j--) {
      // d = 2j/x + A_j − 1 = 1/A_{j−1} − 1: both A = 1/(1 + d) (small A) and s = d/(1 + d) (small s) stay accurate.
      const d = tf.sub(tf.div(2 * j, x), s);
      logSum = tf.add(logSum, log1p(d));
      s = tf.div(d, tf.add(d, 1));
      ratio = tf.reciprocal(tf.add(d, 1));
    }
    const recurred = tf.add(start.logIve, logSum);
    // Power series for small x (the select keeps the recurrence where x > 10; both branches are finite for x > 0).
    const small = tf.greaterEqual(SERIES_MAX_ARGUMENT, x);
    const xs = tf.where(small, x, tf.onesLike(x));
    const y = tf.div(tf.square(xs), 4);
    let sum: tf.Tensor = tf.onesLike(x);
    for (let k = SERIES_TERMS; k >= 1; k--) sum = tf.add(1, tf.mul(tf.mul(y, 1 / (k * (order + k))), sum));
    const series = tf.sub(tf.add(tf.sub(order === 0 ? tf.zerosLike(x) : tf.mul(order, tf.log(tf.div(xs, 2))), lgammaHost(order + 1)), tf.log(sum)), xs);
    return { logIve: tf.where(small, series, recurred), complement: s, ratio };
  });
}

/**
 * `A = I_{ν+1}/I_ν` (complement false) or `s = 1 − A` (complement true). Gradients by automatic differentiation of the
 * same cancellation-free expressions (Debye's closed form, then the downward recurrence `s_{j−1} = d/(1 + d)`,
 * `d = 2j/x − s_j`). The identity `A′ = 1 − A² − (2ν + 1)A/x` is *not* used: for x ≫ ν its terms are ≈ (2ν + 1)/x
 * while A′ ≈ (2ν + 1)/(2x²), so it keeps only ~1e-6·(2ν + 1)/x absolutely.
 */
function ratioOp(order: number, complement: boolean): (x: tf.Tensor) => tf.Tensor {
  return (x: tf.Tensor) =>
    tf.tidy(() => {
      const parts = besselParts(order, x, false);
      return complement ? parts.complement : parts.ratio;
    });
}

function logIveOp(order: number): (x: tf.Tensor) => tf.Tensor {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    const { logIve, complement, ratio } = besselParts(order, x);
    ratio.dispose();
    save([x, complement]);
    return {
      value: logIve,
      // d/dx log(I_ν(x)e^{−x}) = I_{ν+1}/I_ν + ν/x − 1 = ν/x − s.
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, s] = saved as [tf.Tensor, tf.Tensor];
        return tf.mul(dy, tf.sub(tf.div(order, xs), s));
      },
    };
  }) as (x: tf.Tensor) => tf.Tensor;
}

function checkedArgument(x: tf.Tensor | number): tf.Tensor {
  return toFloatTensor(x, 'x');
}

/**
 * Exponentially scaled log modified Bessel function of the first kind, `log(I_ν(x)e^{−x}) = log I_ν(x) − x`,
 * element-wise for a real order ν ≥ 0 (a host number) and x > 0. Differentiable in x:
 * `d/dx = I_{ν+1}(x)/I_ν(x) + ν/x − 1`.
 *
 * Method: ν ≥ 15: Debye's uniform asymptotic expansion (4 terms) in cancellation-free form; ν < 15: power series
 * for x ≤ 10, else downward recurrence (positive terms only) from Debye's expansion at ν + ⌈15 − ν⌉.
 * Verified against mpmath for ν ∈ [0, 499] and x ∈ [1e-3, 1e4] (see the README).
 */
export function logBesselIve(order: number, x: tf.Tensor | number): tf.Tensor {
  assertOrder(order);
  const xt = checkedArgument(x);
  return tf.tidy(() => logIveOp(order)(xt));
}

/** `log I_ν(x)` for a real order ν ≥ 0 and x > 0: {@link logBesselIve} plus x. Differentiable in x. */
export function logBesselI(order: number, x: tf.Tensor | number): tf.Tensor {
  assertOrder(order);
  const xt = checkedArgument(x);
  return tf.tidy(() => tf.add(logIveOp(order)(xt), xt));
}

/**
 * Ratio `I_{ν+1}(x)/I_ν(x)` for a real order ν ≥ 0 and x > 0 (the von Mises–Fisher mean resultant length
 * A_p(κ) is this ratio at ν = p/2 − 1). Differentiable: `d/dx = 1 − A² − (2ν + 1)A/x`.
 */
export function besselIRatio(order: number, x: tf.Tensor | number): tf.Tensor {
  assertOrder(order);
  const xt = checkedArgument(x);
  return tf.tidy(() => ratioOp(order, false)(xt));
}

/**
 * `1 − I_{ν+1}(x)/I_ν(x)`, accurate also where the ratio is close to 1 (x ≫ ν, where it is ≈ (2ν + 1)/(2x)).
 * Differentiable. Used by the von Mises–Fisher entropy, `κ(1 − A)`.
 */
export function besselIRatioComplement(order: number, x: tf.Tensor | number): tf.Tensor {
  assertOrder(order);
  const xt = checkedArgument(x);
  return tf.tidy(() => ratioOp(order, true)(xt));
}

/**
 * `ν log x − log(I_ν(x)e^{−x})` with the derivative `1 − I_{ν+1}(x)/I_ν(x)` attached directly. Composing it from
 * {@link logBesselIve} would subtract ν/x from ν/x − (1 − A) in the backward pass, which loses ~1e-7·ν/x absolutely
 * (0.1 at x = 1e-3, ν = 1.5·1e3); this is the κ-dependent part of the von Mises–Fisher log-normaliser.
 */
export function logPowerOverBesselIve(order: number, x: tf.Tensor): tf.Tensor {
  assertOrder(order);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xs = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    const { logIve, complement, ratio } = besselParts(order, xs);
    ratio.dispose();
    save([complement]);
    const value = tf.tidy(() => tf.sub(order === 0 ? tf.zerosLike(xs) : tf.mul(order, tf.log(xs)), logIve));
    logIve.dispose();
    return { value, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0] as tf.Tensor) };
  }) as (x: tf.Tensor) => tf.Tensor;
  return tf.tidy(() => op(x));
}

/**
 * Host (float64, scalar) version of `1 − I_{ν+1}(x)/I_ν(x)` by the same method (Debye's expansion at order ≥ 15,
 * downward recurrence below): for samplers that compute implicit gradients on the host. Relative error ≲ 1e-7.
 */
export function besselIRatioComplementHost(order: number, x: number): number {
  const steps = order >= DEBYE_MIN_ORDER ? 0 : Math.ceil(DEBYE_MIN_ORDER - order);
  const start = order + steps;
  const r = Math.hypot(start, x);
  const t = start / r;
  const horner = (c: number[]): number => c.reduceRight((acc, ci) => acc * t + ci, 0);
  let u = 1;
  let q = 0;
  for (let k = 1; k <= DEBYE_U.length; k++) {
    u += horner(DEBYE_U[k - 1] as number[]) / start ** k;
    q += horner(DEBYE_Q[k - 1] as number[]) / start ** k;
  }
  let s = (start * (1 + x / (r + start))) / (x + r) + ((x / r) * q) / u;
  for (let j = start; j > order + 0.5; j--) {
    const d = (2 * j) / x - s;
    s = d / (1 + d);
  }
  return s;
}
