/**
 * Two float32 results `a` (backend under test) and `b` (cpu reference) agree when, element by element,
 * `|a − b| ≤ atol + rtol·|b|` (NumPy's `allclose` rule).
 */
export interface Tolerance {
  rtol: number;
  atol: number;
}

/**
 * Data movement (reshape, slice, concat, gather, transpose, tile): no arithmetic, so results must be
 * bit-identical.
 */
export const EXACT: Tolerance = { rtol: 0, atol: 0 };

/**
 * Element-wise arithmetic and transcendental functions. float32 rounds to 2⁻²⁴ ≈ 6e-8 relative; backends
 * compute exp/log/tanh/erf with different polynomial approximations (V8's libm for cpu, XNNPACK/musl for wasm,
 * Eigen for libtensorflow), which differ by a few ulps, i.e. ≲ 1e-6 relative. 1e-5 leaves 10× headroom and
 * still catches any wrong formula or wrong broadcast (those differ by ≫ 1e-3). The absolute term covers
 * results that cancel to ≈ 0 (e.g. log near 1, tanh near 0).
 */
export const ELEMENTWISE: Tolerance = { rtol: 1e-5, atol: 1e-6 };

/**
 * Reductions, matrix products and gradients that contain them (every broadcast's gradient is a sum).
 * Summation order differs between backends (sequential in JS, blocked/SIMD-lane-wise in XNNPACK, Eigen's tree
 * order), so rounding errors differ by up to about √n·u·‖x‖ for n terms, typically, and n·u·Σ|x| at worst.
 * With n ≤ 64 and inputs of order 1 that is ~1e-6 typically and ~2e-5 in the worst case: rtol 1e-4 with atol
 * 1e-5 accepts those and rejects any real error.
 */
export const REDUCTION: Tolerance = { rtol: 1e-4, atol: 1e-5 };

/**
 * A 50-step fixed-seed VAE training run. Per-step differences of order REDUCTION compound through 50 Adam
 * updates (Adam divides by √v, which amplifies differences on small gradients), so the loss curve and the
 * final parameters are compared at 1e-3 relative / 1e-4 absolute. A kernel that is wrong by 1e-3 moves the
 * parameters at the 1e-2 level (measured: exp off by 1e-3 gives ~1e-2 on parameters, 4e-4 on the loss curve;
 * see contract-sensitivity.test.ts), far outside this.
 */
export const TRAINING: Tolerance = { rtol: 1e-3, atol: 1e-4 };

/** Largest error found by {@link compareArrays}, for messages and reports. */
export interface Comparison {
  ok: boolean;
  /** Number of elements outside the tolerance. */
  failures: number;
  /** Index, values and error of the worst element (largest error / allowed error). */
  worst: { index: number; actual: number; expected: number; absError: number; allowed: number } | undefined;
}

/**
 * Compares two arrays element-wise under `tolerance`. NaN never agrees with anything (not even NaN), so a
 * backend that produces NaN fails loudly; equal infinities agree.
 */
export function compareArrays(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: Tolerance): Comparison {
  if (actual.length !== expected.length) {
    return { ok: false, failures: Math.max(actual.length, expected.length), worst: undefined };
  }
  let failures = 0;
  let worst: Comparison['worst'];
  let worstRatio = -1;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const b = expected[i]!;
    const absError = a === b ? 0 : Math.abs(a - b);
    const allowed = tolerance.atol + tolerance.rtol * Math.abs(b);
    const bad = Number.isNaN(a) || Number.isNaN(b) || !(absError <= allowed);
    if (bad) failures++;
    const ratio = bad ? Number.POSITIVE_INFINITY : allowed === 0 ? 0 : absError / allowed;
    if (ratio > worstRatio) {
      worstRatio = ratio;
      worst = { index: i, actual: a, expected: b, absError, allowed };
    }
  }
  return { ok: failures === 0, failures, worst };
}

/** Throws a readable error when `actual` and `expected` do not agree under `tolerance`. */
export function assertArraysClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: Tolerance, label: string): void {
  const result = compareArrays(actual, expected, tolerance);
  if (result.ok) return;
  if (result.worst === undefined) {
    throw new Error(`${label}: expected ${expected.length} values, got ${actual.length}`);
  }
  const w = result.worst;
  throw new Error(
    `${label}: ${result.failures} of ${expected.length} values outside rtol=${tolerance.rtol}, atol=${tolerance.atol}; ` +
      `worst at [${w.index}]: got ${w.actual}, cpu gives ${w.expected} (|error| ${w.absError.toExponential(2)} > allowed ${w.allowed.toExponential(2)})`,
  );
}
