import type { BackendAdapter } from './backend-adapter.js';
import type { BackendName } from './backend-name.js';

// On the global object under a registered symbol, so that two copies of this package in one app (an ESM and a
// CJS build, or two bundles) share one registry.
const REGISTRY_KEY = Symbol.for('@trientropy/backends/registered-adapters');

function registry(): Map<BackendName, BackendAdapter> {
  const holder = globalThis as { [REGISTRY_KEY]?: Map<BackendName, BackendAdapter> };
  return (holder[REGISTRY_KEY] ??= new Map());
}

/**
 * Makes an adapter known to {@link selectBackend} and {@link doctorReport} without a dynamic import. Every
 * adapter package calls this when it is imported, so in a browser, where a bundler cannot follow the lazy
 * import by package name, `import '@trientropy/backend-wasm'` once is enough for `selectBackend('auto')` to
 * find wasm. Registering loads no tfjs kernels: the adapter does that only in its `init`.
 */
export function registerBackendAdapter(adapter: BackendAdapter): void {
  registry().set(adapter.name, adapter);
}

/** The adapter registered for `backend` by {@link registerBackendAdapter}, if any. */
export function registeredBackendAdapter(backend: BackendName): BackendAdapter | undefined {
  return registry().get(backend);
}
