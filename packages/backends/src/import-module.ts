import { createRequire } from 'node:module';

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

/**
 * Imports a package by name at run time, resolved from `fromUrl` (pass your module's `import.meta.url`).
 *
 * Uses the native dynamic `import()`. Where that is unavailable, namely code running inside Jest's CommonJS
 * module registry, where `import()` throws ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG unless Node runs with
 * --experimental-vm-modules, it falls back to `require` (every package this is used for ships a CommonJS
 * build). Without this fallback, any test suite that selected a backend through the built packages would
 * see every adapter as broken.
 */
export async function importModule(specifier: string, fromUrl: string): Promise<unknown> {
  try {
    return await import(specifier);
  } catch (error) {
    const code = errorCode(error);
    // Node 20 reports ..._MISSING_FLAG inside Jest; ..._MISSING is the older/plain-vm variant.
    if (code !== 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG' && code !== 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING') throw error;
    return createRequire(fromUrl)(specifier) as unknown;
  }
}
