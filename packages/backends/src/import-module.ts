function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

/**
 * Node's `createRequire`, looked up at run time so that no bundle of this package imports `node:module`
 * (a browser has no such module). `undefined` outside Node.
 */
function nodeCreateRequire(): typeof import('node:module').createRequire | undefined {
  const getBuiltinModule = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  const nodeModule = getBuiltinModule?.('node:module') as typeof import('node:module') | undefined;
  return nodeModule?.createRequire;
}

/**
 * Imports a package by name at run time, resolved from `fromUrl` (pass your module's `import.meta.url`).
 *
 * Uses the native dynamic `import()`, or `load` when given: pass `() => import('the-package')` with a literal
 * specifier so that browser bundlers (Vite, esbuild, webpack) see and bundle the package, which they cannot
 * do for a specifier held in a variable. Where `import()` is unavailable, namely code running inside Jest's
 * CommonJS module registry, where `import()` throws ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG unless Node
 * runs with --experimental-vm-modules, it falls back to Node's `require` (every package this is used for
 * ships a CommonJS build). Without this fallback, any test suite that selected a backend through the built
 * packages would see every adapter as broken. The fallback exists only in Node; this module imports no Node
 * built-in, so it bundles for a browser.
 */
export async function importModule(specifier: string, fromUrl: string, load: () => Promise<unknown> = () => import(specifier)): Promise<unknown> {
  try {
    return await load();
  } catch (error) {
    const code = errorCode(error);
    // Node 20 reports ..._MISSING_FLAG inside Jest; ..._MISSING is the older/plain-vm variant.
    if (code !== 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG' && code !== 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING') throw error;
    const createRequire = nodeCreateRequire();
    if (createRequire === undefined) throw error;
    return createRequire(fromUrl)(specifier) as unknown;
  }
}
