// Fake adapters for the selection and doctor tests: each claims a backend name but really starts the cpu
// backend, so auto-selection logic can be tested on a machine without wasm/node/cuda specifics.
import type { BackendAdapter, BackendCheck, BackendInfo, BackendProbe } from '../backend-adapter.js';
import type { BackendName } from '../backend-name.js';
import { cpuAdapter } from '../cpu-adapter.js';
import { withActiveBackendRestored } from '../tfjs-backend-switch.js';

/** How a fake adapter behaves: unavailable by its static check, failing to start, or working. */
export type FakeBehaviour = { kind: 'unavailable'; reason: string; remedy: string } | { kind: 'init-fails'; message: string } | { kind: 'works' };

/** A fake adapter for `name` with the given behaviour; `initCalls` counts calls to `init`. */
export function fakeAdapter(name: BackendName, behaviour: FakeBehaviour): BackendAdapter & { initCalls: number } {
  const adapter = {
    name,
    requirements: `fake ${name} requirements`,
    initCalls: 0,
    check(): BackendCheck {
      return behaviour.kind === 'unavailable' ? { available: false, reason: behaviour.reason, remedy: behaviour.remedy } : { available: true };
    },
    isAvailable(): boolean {
      return adapter.check().available;
    },
    async probe(): Promise<BackendProbe> {
      return withActiveBackendRestored(async () => {
        try {
          return { available: true, info: await adapter.init() };
        } catch (error) {
          return { available: false, reason: (error as Error).message };
        }
      });
    },
    async init(): Promise<BackendInfo> {
      adapter.initCalls++;
      if (behaviour.kind === 'init-fails') throw new Error(behaviour.message);
      if (behaviour.kind === 'unavailable') throw new Error(behaviour.reason);
      const info = await cpuAdapter.init();
      return { ...info, backend: name, kernels: `fake ${name} kernels`, notes: [`fake ${name} note`] };
    },
  };
  return adapter;
}

/** An error shaped like Node's "cannot find package" for `specifier` (ESM flavour). */
export function moduleNotFound(specifier: string): Error {
  const error = new Error(`Cannot find package '${specifier}' imported from /somewhere/index.js`) as Error & { code: string };
  error.code = 'ERR_MODULE_NOT_FOUND';
  return error;
}
