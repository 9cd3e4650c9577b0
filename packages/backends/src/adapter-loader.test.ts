import { loadAdapter, loadInstalledAdapters } from './adapter-loader.js';
import { cpuAdapter } from './cpu-adapter.js';
import { fakeAdapter, moduleNotFound } from './test-support/fake-adapter.js';

describe('loadAdapter', () => {
  it('returns the cpu adapter without importing anything', async () => {
    const importer = jest.fn();
    await expect(loadAdapter('cpu', importer)).resolves.toBe(cpuAdapter);
    expect(importer).not.toHaveBeenCalled();
  });

  it('reports a missing adapter package with the command to install it', async () => {
    const result = await loadAdapter('node', async (specifier) => {
      throw moduleNotFound(specifier);
    });
    expect(result).toEqual({
      backend: 'node',
      missing: true,
      reason: '@trientropy/backend-node is not installed',
      remedy: 'npm install @trientropy/backend-node',
    });
  });

  it('tells an installed but broken package apart from a missing one, passing the error on', async () => {
    const result = await loadAdapter('cuda', async () => {
      // e.g. a missing module imported by the adapter, not the adapter itself
      throw moduleNotFound('some-dependency-of-the-adapter');
    });
    expect(result).toMatchObject({ backend: 'cuda', missing: false });
    expect('reason' in result && result.reason).toMatch(/installed but failed to load: .*some-dependency-of-the-adapter/);
  });

  it('rejects a module that does not export a matching backendAdapter', async () => {
    const wrongName = await loadAdapter('wasm', async () => ({ backendAdapter: fakeAdapter('node', { kind: 'works' }) }));
    expect(wrongName).toMatchObject({ backend: 'wasm', missing: false });
    expect('reason' in wrongName && wrongName.reason).toMatch(/does not export a 'wasm' backendAdapter/);
    const nothing = await loadAdapter('wasm', async () => ({}));
    expect('reason' in nothing && nothing.reason).toMatch(/does not export/);
  });

  it('returns the exported adapter, importing the adapter package by name', async () => {
    const wasm = fakeAdapter('wasm', { kind: 'works' });
    const importer = jest.fn(async () => ({ backendAdapter: wasm }));
    await expect(loadAdapter('wasm', importer)).resolves.toBe(wasm);
    expect(importer).toHaveBeenCalledWith('@trientropy/backend-wasm');
  });
});

describe('loadInstalledAdapters', () => {
  it('loads what is installed and lists the rest as failures', async () => {
    const wasm = fakeAdapter('wasm', { kind: 'works' });
    const { adapters, failures } = await loadInstalledAdapters(async (specifier) => {
      if (specifier === '@trientropy/backend-wasm') return { backendAdapter: wasm };
      throw moduleNotFound(specifier);
    });
    expect(adapters.map((a) => a.name)).toEqual(['cpu', 'wasm']);
    expect(failures.map((f) => [f.backend, f.missing])).toEqual([
      ['native', true],
      ['node', true],
      ['cuda', true],
    ]);
  });
});
