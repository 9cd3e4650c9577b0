/** Outcome of loading an optional peer dependency (tfjs-node, tfjs-node-gpu). */
export type OptionalPeerLoad =
  | { loaded: true; module: unknown }
  | { loaded: false; missing: boolean; message: string; error: unknown };

/** Whether `error` is Node's "cannot find module" for `specifier` itself (not for something it imports). */
function isNotFoundFor(error: unknown, specifier: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  return (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && error.message.includes(`'${specifier}'`);
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
    const message = error instanceof Error ? error.message : String(error);
    return { loaded: false, missing: isNotFoundFor(error, specifier), message, error };
  }
}
