import * as tf from '@tensorflow/tfjs-core';
import { cpuAdapter } from './cpu-adapter.js';
import { describeBackendContract } from './testing.js';

// cpu against itself: the suite's references are computed on cpu too, so this checks that the suite runs,
// that cpu is deterministic and that nothing leaks; the real comparisons run in the adapter packages.
describeBackendContract(cpuAdapter);

describe('cpuAdapter', () => {
  it('is always available and starts the cpu backend', async () => {
    expect(cpuAdapter.isAvailable()).toBe(true);
    const info = await cpuAdapter.init();
    expect(tf.getBackend()).toBe('cpu');
    expect(info).toMatchObject({ backend: 'cpu', tfjsBackend: 'cpu', simd: false, threads: 1 });
  });

  it('rejects a thread count it cannot honour, naming the argument', async () => {
    await expect(cpuAdapter.init({ threads: 4 })).rejects.toThrow(/threads: expected 1 .*got 4/);
    await expect(cpuAdapter.init({ simd: true })).rejects.toThrow(/simd/);
  });

  it('probes without changing the active backend', async () => {
    await cpuAdapter.init();
    const probe = await cpuAdapter.probe();
    expect(probe.available).toBe(true);
    expect(probe.info?.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });
});
