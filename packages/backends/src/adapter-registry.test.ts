import { loadAdapter } from './adapter-loader.js';
import { registerBackendAdapter, registeredBackendAdapter } from './adapter-registry.js';
import { isNodeRuntime } from './runtime.js';
import { selectBackend } from './select-backend.js';
import { fakeAdapter, moduleNotFound } from './test-support/fake-adapter.js';

const REGISTRY_KEY = Symbol.for('@trientropy/backends/registered-adapters');

afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[REGISTRY_KEY];
});

describe('registerBackendAdapter', () => {
  it('is used before any import, so a bundled page needs no lazy import by package name', async () => {
    const wasm = fakeAdapter('wasm', { kind: 'works' });
    registerBackendAdapter(wasm);
    const importer = jest.fn(async (specifier: string) => {
      throw moduleNotFound(specifier);
    });
    await expect(loadAdapter('wasm', importer)).resolves.toBe(wasm);
    expect(importer).not.toHaveBeenCalled();
    expect(registeredBackendAdapter('wasm')).toBe(wasm);
    expect(registeredBackendAdapter('node')).toBeUndefined();
  });

  it("lets selectBackend('auto') pick a registered adapter over cpu", async () => {
    registerBackendAdapter(fakeAdapter('wasm', { kind: 'works' }));
    const selection = await selectBackend('auto', {
      importer: async (specifier) => {
        throw moduleNotFound(specifier);
      },
    });
    expect(selection.name).toBe('wasm');
    expect(selection.skipped.map((s) => s.backend)).not.toContain('wasm');
  });

  it('keeps one registry on the global object, shared by every copy of this package', () => {
    registerBackendAdapter(fakeAdapter('node', { kind: 'works' }));
    const shared = (globalThis as Record<symbol, unknown>)[REGISTRY_KEY] as Map<string, unknown>;
    expect([...shared.keys()]).toEqual(['node']);
  });
});

describe('isNodeRuntime', () => {
  it('is true under Node (and Jest)', () => {
    expect(isNodeRuntime()).toBe(true);
  });
});
