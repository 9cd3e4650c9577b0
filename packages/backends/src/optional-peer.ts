/** Outcome of loading an optional peer dependency (tfjs-node, tfjs-node-gpu). */
export type OptionalPeerLoad =
  | { loaded: true; module: unknown }
  | { loaded: false; missing: boolean; message: string; error: unknown };

/**
 * `code` and `message` of an error-like value. Duck-typed on purpose: errors thrown by another realm (Jest's
 * module registry, vm contexts) are not `instanceof Error` here.
 */
function errorFields(error: unknown): { code: unknown; message: string } {
  if (typeof error === 'object' && error !== null) {
    const fields = error as { code?: unknown; message?: unknown };
    return { code: fields.code, message: typeof fields.message === 'string' ? fields.message : String(error) };
  }
  return { code: undefined, message: String(error) };
}

/** Whether `error` is Node's "cannot find module" for `specifier` itself (not for something it imports). */
function isNotFoundFor(error: unknown, specifier: string): boolean {
  const { code, message } = errorFields(error);
  return (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && message.includes(`'${specifier}'`);
}

/**
 * Where `specifier` resolves to, or `undefined` when it is not installed. `resolve` is the caller's
 * `require.resolve` (an adapter passes its own, so resolution starts from the adapter package). Resolving does
 * not execute the package, so this is cheap and safe for native packages.
 */
export function resolveOptionalPeer(specifier: string, resolve: (specifier: string) => string): string | undefined {
  try {
    return resolve(specifier);
  } catch (error) {
    if (isNotFoundFor(error, specifier)) return undefined;
    throw error;
  }
}

/**
 * Loads an optional peer with `importer` (normally `(s) => import(s)`), telling "not installed" apart from
 * "installed but broken" (e.g. libtensorflow.so or a CUDA library missing), whose message is passed on.
 */
export async function loadOptionalPeer(specifier: string, importer: (specifier: string) => Promise<unknown>): Promise<OptionalPeerLoad> {
  try {
    return { loaded: true, module: await importer(specifier) };
  } catch (error) {
    return { loaded: false, missing: isNotFoundFor(error, specifier), message: errorFields(error).message, error };
  }
}
