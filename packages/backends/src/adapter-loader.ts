import type { BackendAdapter } from './backend-adapter.js';
import { ADAPTER_PACKAGES, BROWSER_BACKENDS, type BackendName, NODE_BACKENDS, runtimeBackends } from './backend-name.js';
import { registeredBackendAdapter } from './adapter-registry.js';
import { cpuAdapter } from './cpu-adapter.js';
import { importModule } from './import-module.js';
import { loadOptionalPeer } from './optional-peer.js';
import { isNodeRuntime } from './runtime.js';

/** Imports a module by specifier; the default is Node's dynamic `import()`. Tests pass a fake. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

/** A backend whose adapter package could not be loaded, and why. */
export interface AdapterLoadFailure {
  backend: BackendName;
  /** The adapter package is not installed at all (as opposed to installed but failing to load). */
  missing: boolean;
  reason: string;
  remedy: string;
}

/** Adapters that loaded, and the backends whose adapter package did not, each with its reason. */
export interface LoadedAdapters {
  adapters: BackendAdapter[];
  failures: AdapterLoadFailure[];
}

// The specifier is held in a variable on purpose: a literal `import('@trientropy/backend-wasm')` would make
// bundlers and Nx's import analysis see a dependency of this package on the adapter packages, which
// themselves depend on this package (a cycle), and would make the optional adapters look required.
const dynamicImport: ModuleImporter = (specifier) => importModule(specifier, import.meta.url);

function isBackendAdapter(value: unknown, backend: BackendName): value is BackendAdapter {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    candidate['name'] === backend &&
    typeof candidate['check'] === 'function' &&
    typeof candidate['isAvailable'] === 'function' &&
    typeof candidate['probe'] === 'function' &&
    typeof candidate['init'] === 'function'
  );
}

/**
 * Loads the adapter of one backend: the one its package registered when it was imported (see
 * {@link registerBackendAdapter}), else from its package (`@trientropy/backend-wasm`, `-node`, `-cuda`, ...)
 * with a dynamic import, so that this package never hard-depends on the adapters or their optional native
 * peers. The package must export `backendAdapter`. cpu needs no import. Returns the adapter or why it failed.
 * In a browser the lazy import by name cannot work (bundlers cannot follow it): an adapter not imported by
 * the app is reported as missing, with the import to add as remedy. A backend of the other runtime (webgl or
 * webgpu in Node; native, node or cuda in a browser) is reported as unavailable, with why, without an import.
 */
export async function loadAdapter(backend: BackendName, importer: ModuleImporter = dynamicImport): Promise<BackendAdapter | AdapterLoadFailure> {
  if (backend === 'cpu') return cpuAdapter;
  const registered = registeredBackendAdapter(backend);
  if (registered !== undefined) return registered;
  const pkg = ADAPTER_PACKAGES[backend];
  const inNode = isNodeRuntime();
  if (inNode && !NODE_BACKENDS.includes(backend)) {
    return { backend, missing: false, reason: `${backend} runs only in a browser (a page or Web Worker with ${backend === 'webgpu' ? 'WebGPU' : 'WebGL'}); this is Node`, remedy: 'in Node use native, node, cuda, wasm or cpu' };
  }
  if (!inNode && !BROWSER_BACKENDS.includes(backend)) {
    return { backend, missing: false, reason: `${backend} runs only in Node (it loads a native library); this is a browser`, remedy: 'in a browser use webgpu, webgl, wasm or cpu' };
  }
  if (importer === dynamicImport && !inNode) {
    return { backend, missing: true, reason: `${pkg} is not imported by this page`, remedy: `import '${pkg}' once in your app (npm install ${pkg}); the import registers its adapter` };
  }
  const load = await loadOptionalPeer(pkg, importer);
  if (!load.loaded) {
    return load.missing
      ? { backend, missing: true, reason: `${pkg} is not installed`, remedy: `npm install ${pkg}` }
      : { backend, missing: false, reason: `${pkg} is installed but failed to load: ${load.message}`, remedy: `reinstall ${pkg} (npm install ${pkg}) and check the error above` };
  }
  const exported = (load.module as Record<string, unknown> | null)?.['backendAdapter'];
  if (!isBackendAdapter(exported, backend)) {
    return {
      backend,
      missing: false,
      reason: `${pkg} loaded but does not export a '${backend}' backendAdapter (an incompatible version?)`,
      remedy: `install the version of ${pkg} that matches @trientropy/backends`,
    };
  }
  return exported;
}

/**
 * Loads the adapters of every backend of this runtime (see {@link runtimeBackends}) that is installed or registered; see {@link loadAdapter}.
 * Never throws for a missing or broken adapter package: those are listed in `failures`.
 */
export async function loadInstalledAdapters(importer: ModuleImporter = dynamicImport): Promise<LoadedAdapters> {
  const adapters: BackendAdapter[] = [];
  const failures: AdapterLoadFailure[] = [];
  for (const backend of runtimeBackends()) {
    const result = await loadAdapter(backend, importer);
    if ('init' in result) adapters.push(result);
    else failures.push(result);
  }
  return { adapters, failures };
}
