import { InvalidArgumentError } from '@trientropy/distributions';
import type { BackendAdapter } from './backend-adapter.js';
import { type AdapterLoadFailure, type ModuleImporter, loadAdapter, loadInstalledAdapters } from './adapter-loader.js';
import { ADAPTER_PACKAGES, BACKEND_NAMES, type BackendName } from './backend-name.js';
import { cpuAdapter } from './cpu-adapter.js';

/** Where {@link selectBackend} and {@link doctorReport} get their adapters from. */
export interface AdapterSource {
  /**
   * The adapters to use. Default: every installed adapter package, loaded lazily by name (see
   * {@link loadInstalledAdapters}). When given, only these (plus cpu, which is always present) are used.
   */
  adapters?: readonly BackendAdapter[];
  /** Module importer used for the lazy loading; for tests. Default: dynamic `import()`. */
  importer?: ModuleImporter;
}

/** For every backend: its adapter, or why there is none. */
export type AdapterTable = Map<BackendName, BackendAdapter | AdapterLoadFailure>;

/** Whether a table entry is a usable adapter (rather than the reason there is none). */
export function isAdapter(entry: BackendAdapter | AdapterLoadFailure): entry is BackendAdapter {
  return 'init' in entry;
}

/**
 * Builds the {@link AdapterTable} from explicit adapters (two for one backend are an error, since which one
 * wins would be arbitrary) or, when none are given, from the installed adapter packages.
 */
export async function resolveAdapters(source: AdapterSource = {}): Promise<AdapterTable> {
  const table: AdapterTable = new Map();
  if (source.adapters === undefined) {
    const loaded = await loadInstalledAdapters(source.importer);
    for (const adapter of loaded.adapters) table.set(adapter.name, adapter);
    for (const failure of loaded.failures) table.set(failure.backend, failure);
    // The other runtime's backends (webgl in Node, cuda in a browser): their entry says why, with no import.
    for (const backend of BACKEND_NAMES) if (!table.has(backend)) table.set(backend, await loadAdapter(backend, source.importer));
    return table;
  }
  for (const adapter of source.adapters) {
    if (table.has(adapter.name)) {
      throw new InvalidArgumentError('adapters', 'at most one adapter per backend', `two adapters named '${adapter.name}'`);
    }
    table.set(adapter.name, adapter);
  }
  if (!table.has('cpu')) table.set('cpu', cpuAdapter);
  for (const backend of BACKEND_NAMES) {
    if (!table.has(backend)) {
      const pkg = ADAPTER_PACKAGES[backend];
      table.set(backend, {
        backend,
        missing: true,
        reason: `no adapter for '${backend}' was passed in`,
        remedy: `pass the backendAdapter of ${pkg} (npm install ${pkg}), or omit 'adapters' to load every installed adapter`,
      });
    }
  }
  return table;
}
