import * as tf from '@tensorflow/tfjs-core';
import { cpuAdapter } from '@trientropy/backends';
import { describeBackendContract } from '@trientropy/backends/testing';
import { backendAdapter } from './index.js';
import { nativeAdapter } from './native-adapter.js';

// CI installs a compiler and OpenBLAS and sets TRIENTROPY_REQUIRE_NATIVE=1: there an unbuilt addon is a failure,
// not a skip. Elsewhere the contract suite is registered as skipped with the reason (no compiler, no BLAS).
if (process.env['TRIENTROPY_REQUIRE_NATIVE'] === '1') {
  it('the native addon is built and loads (TRIENTROPY_REQUIRE_NATIVE=1)', () => {
    expect(nativeAdapter.check()).toEqual({ available: true });
  });
}

describeBackendContract(nativeAdapter);

const available = nativeAdapter.check().available;
const describeIfBuilt = available ? describe : describe.skip;

describe('nativeAdapter', () => {
  it('is exported as backendAdapter for lazy loading', () => {
    expect(backendAdapter).toBe(nativeAdapter);
    expect(backendAdapter.name).toBe('native');
  });
});

describeIfBuilt('nativeAdapter (addon built)', () => {
  afterAll(async () => {
    await cpuAdapter.init();
  });

  it('starts with the requested thread count and reports the BLAS', async () => {
    const info = await nativeAdapter.init({ threads: 1 });
    expect(tf.getBackend()).toBe('native');
    expect(info).toMatchObject({ backend: 'native', tfjsBackend: 'native', threads: 1 });
    expect(info.notes.join('\n')).toMatch(/^BLAS: (OpenBLAS|Accelerate)/);
  });

  it('rejects a thread count that is not a positive integer', async () => {
    await expect(nativeAdapter.init({ threads: 0 })).rejects.toThrow('threads: expected an integer ≥ 1, got 0');
    await expect(nativeAdapter.init({ simd: true })).rejects.toThrow(/^simd: expected unset or false/);
  });

  it('probes without changing the active backend', async () => {
    await cpuAdapter.init();
    const probe = await nativeAdapter.probe();
    expect(probe).toMatchObject({ available: true, info: { backend: 'native' } });
    expect(tf.getBackend()).toBe('cpu');
  });
});
