/**
 * Why the wasm backend runs on one thread in Node, measured with tfjs-backend-wasm 4.22.0 on Node 20
 * (tools/bench/backend-wasm-features.mjs reproduces it):
 *
 * 1. tfjs sets its `WASM_HAS_MULTITHREAD_SUPPORT` flag to false whenever `IS_NODE` is true
 *    (tensorflow/tfjs#3830), so it loads the single-threaded SIMD binary and `setThreadsCount` has no effect.
 * 2. Forcing the flag on makes initialisation fail: the threaded Emscripten build hands its pthread workers
 *    a `blob:` URL, and Node's `worker_threads` rejects it with ERR_WORKER_PATH.
 *
 * Forcing it with global patches (Blob/createObjectURL interception, shims for the bundle-scope names the
 * threaded factory references, and an `os.cpus()` override because XNNPACK uses logical cores / 2) starts 2
 * threads on 2 cores but gave no speed-up on this shared machine (see the README); it reaches into tfjs's
 * private bundle, so it is not offered.
 */
export const WASM_SINGLE_THREAD_REASON =
  "tfjs-backend-wasm 4.22 runs single-threaded in Node: it disables its threaded build when IS_NODE (tensorflow/tfjs#3830), and forcing it fails because Node's worker_threads cannot start the blob: URL workers it creates (ERR_WORKER_PATH)";

/**
 * Why it runs on one thread in a browser page or worker that is not cross-origin isolated: tfjs loads its threaded
 * build only where SharedArrayBuffer exists, which needs the COOP/COEP headers. Measured in this project's headless
 * Chromium: the docs demo served with those headers got the threaded build, and the page crashed.
 */
export const WASM_BROWSER_SINGLE_THREAD_REASON =
  'this page is not cross-origin isolated (no SharedArrayBuffer without COOP/COEP headers), so tfjs-backend-wasm loads its single-threaded SIMD build';
