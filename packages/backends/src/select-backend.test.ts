import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@trientropy/distributions';
import { BackendUnavailableError } from './backend-unavailable-error.js';
import { cpuAdapter } from './cpu-adapter.js';
import { selectBackend } from './select-backend.js';
import { fakeAdapter, moduleNotFound } from './test-support/fake-adapter.js';

const noGpu = fakeAdapter('cuda', { kind: 'unavailable', reason: 'no NVIDIA driver found (nvidia-smi missing)', remedy: 'install the driver' });
const brokenNode = fakeAdapter('node', { kind: 'init-fails', message: 'libtensorflow.so.2: cannot open shared object file' });

afterEach(async () => {
  await cpuAdapter.init();
});

describe('selectBackend', () => {
  it("'auto' picks the fastest backend that starts and says why the faster ones were skipped", async () => {
    const wasm = fakeAdapter('wasm', { kind: 'works' });
    const selection = await selectBackend('auto', { adapters: [wasm, brokenNode, noGpu] });
    expect(selection.name).toBe('wasm');
    expect(selection.requested).toBe('auto');
    expect(selection.info.backend).toBe('wasm');
    expect(selection.skipped).toEqual([
      { backend: 'cuda', reason: 'no NVIDIA driver found (nvidia-smi missing)' },
      { backend: 'native', reason: "no adapter for 'native' was passed in" },
      { backend: 'node', reason: 'failed to start: libtensorflow.so.2: cannot open shared object file' },
    ]);
    expect(selection.report).toMatch(/^backend: wasm \(auto: fastest that loads\)/);
    expect(selection.report).toContain('skipped cuda: no NVIDIA driver found');
    expect(selection.report).toContain('skipped node: failed to start: libtensorflow.so.2');
    expect(wasm.initCalls).toBe(1);
  });

  it("'auto' prefers cuda over native over node over wasm", async () => {
    const cuda = fakeAdapter('cuda', { kind: 'works' });
    const native = fakeAdapter('native', { kind: 'works' });
    const node = fakeAdapter('node', { kind: 'works' });
    const wasm = fakeAdapter('wasm', { kind: 'works' });
    await expect(selectBackend('auto', { adapters: [wasm, node, native, cuda] })).resolves.toMatchObject({ name: 'cuda', skipped: [] });
    await expect(selectBackend('auto', { adapters: [wasm, node, native] })).resolves.toMatchObject({ name: 'native' });
    await expect(selectBackend('auto', { adapters: [wasm, node] })).resolves.toMatchObject({ name: 'node' });
    expect(wasm.initCalls).toBe(0);
  });

  it("'auto' falls back to cpu, which is always present", async () => {
    const selection = await selectBackend('auto', { adapters: [noGpu] });
    expect(selection.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(selection.skipped.map((s) => s.backend)).toEqual(['cuda', 'native', 'node', 'wasm']);
    expect(selection.skipped[2]!.reason).toBe("no adapter for 'node' was passed in");
  });

  it('loads the installed adapter packages lazily when no adapters are given', async () => {
    const wasm = fakeAdapter('wasm', { kind: 'works' });
    const importer = jest.fn(async (specifier: string) => {
      if (specifier === '@trientropy/backend-wasm') return { backendAdapter: wasm };
      throw moduleNotFound(specifier);
    });
    const selection = await selectBackend('auto', { importer });
    expect(selection.name).toBe('wasm');
    expect(selection.skipped).toEqual([
      { backend: 'cuda', reason: '@trientropy/backend-cuda is not installed' },
      { backend: 'native', reason: '@trientropy/backend-native is not installed' },
      { backend: 'node', reason: '@trientropy/backend-node is not installed' },
    ]);
  });

  it('starts a named backend or throws why not, never falling back', async () => {
    await expect(selectBackend('cpu', { adapters: [noGpu] })).resolves.toMatchObject({ name: 'cpu', skipped: [] });
    await expect(selectBackend('cuda', { adapters: [noGpu] })).rejects.toThrow(BackendUnavailableError);
    await expect(selectBackend('cuda', { adapters: [noGpu] })).rejects.toThrow(/backend 'cuda' is not available: no NVIDIA driver found.*\n {2}fix: install the driver/);
    await expect(selectBackend('node', { adapters: [brokenNode] })).rejects.toThrow(/libtensorflow\.so\.2/);
    await expect(selectBackend('wasm', { adapters: [] })).rejects.toThrow(/no adapter for 'wasm' was passed in\n {2}fix: pass the backendAdapter of @trientropy\/backend-wasm/);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('passes init options to the adapter, which rejects those it cannot honour', async () => {
    await expect(selectBackend('cpu', { adapters: [], init: { threads: 3 } })).rejects.toThrow(/threads: expected 1/);
    await expect(selectBackend('auto', { adapters: [], init: { threads: 3 } })).rejects.toThrow(/no backend could be started: .*cpu: failed to start: threads: expected 1/);
  });

  it('rejects an unknown backend name and duplicate adapters, naming the argument', async () => {
    await expect(selectBackend('gpu')).rejects.toThrow(InvalidArgumentError);
    await expect(selectBackend('gpu')).rejects.toThrow('backend: expected one of auto, cpu, wasm, native, node, cuda, webgl, webgpu, got "gpu"');
    const wasm = fakeAdapter('wasm', { kind: 'works' });
    await expect(selectBackend('auto', { adapters: [wasm, wasm] })).rejects.toThrow(/adapters: expected at most one adapter per backend/);
  });
});
