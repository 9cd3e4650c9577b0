/** The one part of the WebAssembly global used here (typed locally: the project's `lib` has no DOM types). */
interface WebAssemblyValidator {
  validate(bytes: Uint8Array): boolean;
}

/** The runtime's `WebAssembly` global, or `undefined` where there is none. */
export function runtimeWebAssembly(): WebAssemblyValidator | undefined {
  const candidate = (globalThis as { WebAssembly?: WebAssemblyValidator }).WebAssembly;
  return typeof candidate === 'object' && candidate !== null ? candidate : undefined;
}

/**
 * Whether this JavaScript engine can compile WebAssembly SIMD (128-bit) code. This is the same probe
 * tfjs-backend-wasm uses for its `WASM_HAS_SIMD_SUPPORT` flag (a tiny module containing one SIMD instruction,
 * from GoogleChromeLabs/wasm-feature-detect); Node 20's V8 supports it on x86-64 and arm64.
 */
export function runtimeHasWasmSimd(): boolean {
  const webAssembly = runtimeWebAssembly();
  if (webAssembly === undefined) return false;
  try {
    return webAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26, 11]));
  } catch {
    return false;
  }
}
