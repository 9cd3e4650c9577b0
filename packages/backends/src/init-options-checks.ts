import { InvalidArgumentError } from '@trientropy/distributions';
import type { BackendInitOptions } from './backend-adapter.js';
import type { BackendName } from './backend-name.js';

/**
 * Rejects options a backend cannot honour, so that e.g. `threads: 4` on cpu fails instead of being silently
 * ignored. `supported` lists the options the backend reads itself.
 */
export function checkInitOptions(
  backend: BackendName,
  options: BackendInitOptions,
  supported: ReadonlyArray<keyof BackendInitOptions>,
): void {
  if (options.threads !== undefined) {
    if (!Number.isInteger(options.threads) || options.threads < 1) {
      throw new InvalidArgumentError('threads', 'an integer ≥ 1', String(options.threads));
    }
    if (!supported.includes('threads') && options.threads !== 1) {
      throw new InvalidArgumentError('threads', `1 (the ${backend} backend does not take a thread count)`, String(options.threads));
    }
  }
  if (options.simd !== undefined && !supported.includes('simd') && options.simd) {
    throw new InvalidArgumentError('simd', `unset or false (the ${backend} backend has no SIMD switch)`, String(options.simd));
  }
  if (options.wasmPaths !== undefined && !supported.includes('wasmPaths')) {
    throw new InvalidArgumentError('wasmPaths', `unset (only the wasm backend loads .wasm binaries, not ${backend})`, JSON.stringify(options.wasmPaths));
  }
}
