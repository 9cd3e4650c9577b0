import * as tf from '@tensorflow/tfjs-core';
import type { BackendAdapter } from './backend-adapter.js';
import { cpuAdapter } from './cpu-adapter.js';
import { autoChoice, doctorReport, formatDoctorReport } from './doctor-report.js';
import { fakeAdapter, moduleNotFound } from './test-support/fake-adapter.js';

beforeAll(async () => {
  await cpuAdapter.init();
});

describe('doctorReport', () => {
  it('reports every backend, whether it loads and why not, restoring the active backend', async () => {
    const wasm = fakeAdapter('wasm', { kind: 'works' });
    const node = fakeAdapter('node', { kind: 'init-fails', message: 'libtensorflow.so.2: cannot open shared object file' });
    const before = tf.memory().numTensors;
    const statuses = await doctorReport({
      importer: async (specifier) => {
        if (specifier === '@trientropy/backend-wasm') return { backendAdapter: wasm };
        if (specifier === '@trientropy/backend-node') return { backendAdapter: node };
        throw moduleNotFound(specifier);
      },
    });
    expect(statuses.map((s) => [s.backend, s.loads])).toEqual([
      ['cpu', true],
      ['wasm', true],
      ['native', false],
      ['node', false],
      ['cuda', false],
    ]);
    expect(statuses[1]!.info?.kernels).toBe('fake wasm kernels');
    expect(statuses[2]).toMatchObject({ reason: '@trientropy/backend-native is not installed', remedy: 'npm install @trientropy/backend-native' });
    expect(statuses[3]).toMatchObject({ adapterPackage: '@trientropy/backend-node', requirements: 'fake node requirements' });
    expect(statuses[3]!.reason).toMatch(/libtensorflow\.so\.2/);
    expect(statuses[4]).toMatchObject({ reason: '@trientropy/backend-cuda is not installed', remedy: 'npm install @trientropy/backend-cuda' });
    expect(tf.getBackend()).toBe('cpu');
    expect(tf.memory().numTensors).toBe(before);
    expect(autoChoice(statuses)).toBe('wasm');
  });

  it('reports an adapter whose probe throws instead of propagating the error', async () => {
    const throwing: BackendAdapter = {
      ...fakeAdapter('node', { kind: 'works' }),
      probe: async () => {
        throw new Error('segfault averted');
      },
    };
    const statuses = await doctorReport({ adapters: [throwing] });
    expect(statuses.find((s) => s.backend === 'node')).toMatchObject({ loads: false, reason: 'probing it threw: segfault averted' });
  });
});

describe('formatDoctorReport', () => {
  it('prints a table, the reason and fix for each backend that does not load, notes, and the auto choice', async () => {
    const cuda = fakeAdapter('cuda', { kind: 'unavailable', reason: '@tensorflow/tfjs-node-gpu is not installed', remedy: 'npm install @tensorflow/tfjs-node-gpu@4.22.0\nthen check nvidia-smi' });
    const text = formatDoctorReport(await doctorReport({ adapters: [cuda, fakeAdapter('wasm', { kind: 'works' })] }));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^backend\s+loads\s+kernels\s+simd\s+threads\s+device$/);
    expect(lines[1]).toMatch(/^cpu\s+yes\s+@tensorflow\/tfjs-backend-cpu/);
    expect(lines[2]).toMatch(/^wasm\s+yes\s+fake wasm kernels\s+no\s+1\s+CPU/);
    expect(lines[3]).toMatch(/^native\s+NO\s+-/);
    expect(lines[4]).toMatch(/^node\s+NO\s+-/);
    expect(lines[5]).toMatch(/^cuda\s+NO\s+-/);
    expect(text).toContain("node: does not load: no adapter for 'node' was passed in");
    expect(text).toContain('cuda: does not load: @tensorflow/tfjs-node-gpu is not installed\n  fix: npm install @tensorflow/tfjs-node-gpu@4.22.0\n       then check nvidia-smi\n  needs: fake cuda requirements');
    expect(text).toContain('wasm: note: fake wasm note');
    expect(lines[lines.length - 1]).toBe('--backend auto would use: wasm');
  });
});
