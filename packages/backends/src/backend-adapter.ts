import type { BackendName } from './backend-name.js';

/** Options of {@link BackendAdapter.init}. Each adapter documents which it supports; others must stay unset. */
export interface BackendInitOptions {
  /**
   * Worker threads for the backend's kernels. native reads it (threads of the BLAS's matrix products; default:
   * the machine's logical cores); wasm reads it, and in Node only 1 is possible (see the
   * @trientropy/backend-wasm README); other adapters reject any value but 1.
   */
  threads?: number;
  /** wasm only: `false` forces the non-SIMD binary (for comparisons). Default: SIMD when the runtime has it. */
  simd?: boolean;
  /**
   * wasm only, for browsers: where the page serves tfjs-backend-wasm's `.wasm` binaries, as a URL prefix or a
   * map from file name (`tfjs-backend-wasm.wasm`, `tfjs-backend-wasm-simd.wasm`,
   * `tfjs-backend-wasm-threaded-simd.wasm`) to URL; passed to tfjs's `setWasmPaths` before the first start.
   * Default: next to the tfjs-backend-wasm script (right in Node; in a bundled page usually a 404).
   */
  wasmPaths?: string | Readonly<Record<string, string>>;
}

/** What {@link BackendAdapter.init} started. */
export interface BackendInfo {
  /** Our name of the backend. */
  backend: BackendName;
  /** Name under which the backend is registered in tfjs (`cpu`, `wasm`, `tensorflow`). */
  tfjsBackend: string;
  /** Version of @tensorflow/tfjs-core in use. */
  tfjsCoreVersion: string;
  /** Package that provides the kernels and its version, e.g. `@tensorflow/tfjs-backend-wasm@4.22.0`. */
  kernels: string;
  /** Whether the kernels use SIMD instructions (wasm SIMD; libtensorflow is always vectorised). */
  simd: boolean;
  /** Threads the kernels run on; `undefined` where the backend manages its own pool (libtensorflow). */
  threads: number | undefined;
  /** Where the arithmetic happens, e.g. `CPU (JavaScript)`, `GPU 0: NVIDIA H100`. */
  device: string;
  /** Caveats worth printing (why threads are off, fallback to CPU, ...). */
  notes: string[];
}

/** Result of a availability check: whether the backend can be used here and, if not, why and what to do. */
export interface BackendCheck {
  available: boolean;
  /** Why it is not available (set exactly when `available` is false). */
  reason?: string;
  /** What to run or install to make it available. */
  remedy?: string;
}

/** Result of {@link BackendAdapter.probe}: a check made by actually starting the backend. */
export interface BackendProbe extends BackendCheck {
  /** What was started, when it started. */
  info?: BackendInfo;
}

/**
 * The contract every backend adapter implements (cpu here; wasm, node and cuda in their own packages).
 *
 * - `check`/`isAvailable` are synchronous and cheap: are the packages installed and does this platform have
 *   what the backend needs. They do not load native code, so a backend that passes them can still fail in
 *   `init` (a broken install); that failure is then reported, never hidden.
 * - `probe` really starts the backend, then switches tfjs back to the backend that was active before.
 * - `init` starts the backend and makes it tfjs's active backend (`tf.setBackend` + `tf.ready`). It throws a
 *   {@link BackendUnavailableError} naming what to install when it cannot.
 */
export interface BackendAdapter {
  readonly name: BackendName;
  /** One line: what the backend needs (shown by `doctor`). */
  readonly requirements: string;
  /** Synchronous static check; see the interface's description. */
  check(): BackendCheck;
  /** `check().available`. */
  isAvailable(): boolean;
  /** Starts the backend for real to see whether it works, then restores the previously active backend. */
  probe(): Promise<BackendProbe>;
  /** Starts the backend and makes it the active tfjs backend. */
  init(options?: BackendInitOptions): Promise<BackendInfo>;
  /**
   * Optional: why `selectBackend('auto')` should pass this backend over although it works here, or `undefined`
   * when it should not. The GPU backends use it when the browser's GPU is a software emulation (SwiftShader,
   * llvmpipe): it runs, but slower than wasm. Asked only by `auto`, after `check` passed; a backend asked for
   * by name is started regardless.
   */
  autoSkipReason?(): Promise<string | undefined>;
}
