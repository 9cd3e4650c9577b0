import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Codes of the addon's activations (native/trientropy_native.c, `ACT_*`). */
export const ACTIVATION_CODES = { linear: 0, relu: 1, relu6: 2, leakyrelu: 3, sigmoid: 4, elu: 5 } as const;
/** Codes of the addon's broadcasting binary ops (`BIN_*`). */
export const BINARY_CODES = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5, squaredDifference: 6 } as const;
/** Codes of the addon's unary ops (`UN_*`). */
export const UNARY_CODES = {
  exp: 0, log: 1, sqrt: 2, square: 3, neg: 4, relu: 5, abs: 6, sigmoid: 7, tanh: 8, log1p: 9, rsqrt: 10, reciprocal: 11, step: 12, expm1: 13,
} as const;
/** Codes of the addon's reductions (`RED_*`). */
export const REDUCE_CODES = { sum: 0, max: 1, min: 2, mean: 3 } as const;

/** The functions the compiled addon exports (see native/trientropy_native.c for their contracts). */
export interface NativeAddon {
  matMul(
    a: Float32Array, b: Float32Array, out: Float32Array, batch: number, batchA: number, batchB: number, m: number, n: number, k: number,
    transposeA: boolean, transposeB: boolean, bias: Float32Array | null, activation: number, alpha: number,
  ): void;
  binary(op: number, a: Float32Array, b: Float32Array, out: Float32Array, outShape: Int32Array, aStrides: Int32Array, bStrides: Int32Array): void;
  unary(op: number, x: Float32Array, out: Float32Array, alpha: number): void;
  reduce(op: number, x: Float32Array, out: Float32Array, outer: number, size: number, inner: number): void;
  /** out (row-major, outShape) = x read at offset + Σ index[d]·inStrides[d]: transposes and slices. */
  strided(x: Float32Array, offset: number, out: Float32Array, outShape: Int32Array, inStrides: Int32Array): void;
  /** out [outer, Σ inner_i] = the inputs [outer, inner_i] side by side, row by row. */
  concat(inputs: Float32Array[], out: Float32Array, outer: number): void;
  gatherRows(x: Float32Array, rowSize: number, indices: Int32Array, out: Float32Array): void;
  adam(value: Float32Array, gradient: Float32Array, m: Float32Array, v: Float32Array, outValue: Float32Array, outM: Float32Array, outV: Float32Array, scalars: Float32Array): void;
  /** A dense layer's backward pass: delta = dy·step(y) (y null: linear), dw = xᵀδ, db = Σ_rows δ, dx = δwᵀ (dx null: skipped). */
  denseGrad(
    dy: Float32Array, x: Float32Array, w: Float32Array | null, y: Float32Array | null, delta: Float32Array, dx: Float32Array | null, dw: Float32Array, db: Float32Array,
    n: number, inSize: number, outSize: number,
  ): void;
  /** R of the Gaussian ELBO: difference = x − μ (x's rows repeated per sample), out[0] = mean of the rows' Σ difference². */
  squaredError(x: Float32Array, mu: Float32Array, difference: Float32Array, out: Float32Array, rows: number, samples: number, dim: number): void;
  /** The ELBO's latent block with the standard prior (see gaussian-latent.ts): z [S·n, H], the scalar KL, and τ and expm1(log τ²) [n, H] for the gradient. */
  gaussianLatent(mean: Float32Array, logVariance: Float32Array, noise: Float32Array, z: Float32Array, kl: Float32Array, scale: Float32Array, expm1: Float32Array, rows: number, samples: number, width: number): void;
  /** {@link gaussianLatent}'s gradients to the mean and log-variance from dz and the scalar dkl. */
  gaussianLatentGrad(mean: Float32Array, scale: Float32Array, expm1: Float32Array, noise: Float32Array, dz: Float32Array, dkl: Float32Array, dMean: Float32Array, dLogVariance: Float32Array, rows: number, samples: number, width: number): void;
  /** tfjs's randomNormal draws (Marsaglia's polar method on alea) into out; state [s0, s1, s2, c] is alea's, advanced in place. */
  randomNormal(out: Float32Array, state: Float64Array, mean: number, stdDev: number): void;
  setThreads(threads: number): void;
  getThreads(): number;
  blasConfig(): string;
}

/** What scripts/build-addon.mjs wrote about its last attempt (build/build-report.json). */
export interface AddonBuildReport {
  ok: boolean;
  /** Why it failed, in one line (set when `ok` is false). */
  reason?: string;
  /** What to install or run (set when `ok` is false). */
  remedy?: string;
  /** The compiler command that was run, if any. */
  command?: string;
  /** BLAS linked against, e.g. `OpenBLAS (-lopenblas)`. */
  blas?: string;
}

/** Result of loading the addon: the module, or why it is not there. */
export type AddonLoad = { loaded: true; addon: NativeAddon; path: string } | { loaded: false; reason: string; remedy: string; path: string };

/** The command that (re)builds the addon, for messages. */
export const BUILD_COMMAND = 'npm rebuild @trientropy/backend-native   (or, in a checkout: node packages/backend-native/scripts/build-addon.mjs)';

const buildDirectory = fileURLToPath(new URL('../build/', import.meta.url));
/** Where scripts/build-addon.mjs puts the compiled addon. */
export const ADDON_PATH = `${buildDirectory}trientropy_native.node`;
const REPORT_PATH = `${buildDirectory}build-report.json`;

/** The build script's report, or `undefined` when it never ran (or its report is unreadable). */
export function readBuildReport(): AddonBuildReport | undefined {
  if (!existsSync(REPORT_PATH)) return undefined;
  try {
    return JSON.parse(readFileSync(REPORT_PATH, 'utf8')) as AddonBuildReport;
  } catch {
    return undefined;
  }
}

/**
 * Why the addon binary is missing, from the build report: the build's own reason and remedy when it failed
 * (no compiler, no BLAS, no Node-API headers), or that the build never ran.
 */
export function missingAddonReason(): { reason: string; remedy: string } {
  const report = readBuildReport();
  if (report !== undefined && !report.ok) {
    return { reason: `the native addon was not built: ${report.reason ?? 'the build failed'}`, remedy: `${report.remedy ?? 'see build/build-report.json'}; then ${BUILD_COMMAND}` };
  }
  return { reason: `the native addon has not been built (no ${ADDON_PATH})`, remedy: BUILD_COMMAND };
}

let cached: AddonLoad | undefined;

/**
 * Loads the compiled addon once per process. Before the first load it sets `OMP_WAIT_POLICY=PASSIVE` unless
 * the user set it: OpenBLAS's OpenMP threads otherwise spin between products and steal the core that the
 * element-wise kernels run on (measured: PyTorch on the same OpenBLAS lost up to 10× on 2 busy cores).
 */
export function loadAddon(): AddonLoad {
  if (cached !== undefined) return cached;
  if (!existsSync(ADDON_PATH)) {
    cached = { loaded: false, path: ADDON_PATH, ...missingAddonReason() };
    return cached;
  }
  process.env['OMP_WAIT_POLICY'] ??= 'PASSIVE';
  try {
    const addon = createRequire(import.meta.url)(ADDON_PATH) as NativeAddon;
    cached = { loaded: true, addon, path: ADDON_PATH };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    cached = {
      loaded: false,
      path: ADDON_PATH,
      reason: `the native addon failed to load: ${message}`,
      remedy: `install the BLAS it was linked against (Debian/Ubuntu: apt-get install libopenblas0), or rebuild it: ${BUILD_COMMAND}`,
    };
  }
  return cached;
}
