import { registerBackendAdapter } from '@trientropy/backends';
import { wasmAdapter } from './wasm-adapter.js';

export { wasmAdapter } from './wasm-adapter.js';
export { runtimeHasWasmSimd } from './wasm-simd-support.js';
export { WASM_BROWSER_SINGLE_THREAD_REASON, WASM_SINGLE_THREAD_REASON } from './wasm-threads.js';

/** The adapter under the name every adapter package exports, for `selectBackend`'s lazy loading. */
export const backendAdapter = wasmAdapter;

// Importing this package makes wasm known to selectBackend/doctorReport without their lazy import by name,
// which a browser bundle cannot follow.
registerBackendAdapter(wasmAdapter);
