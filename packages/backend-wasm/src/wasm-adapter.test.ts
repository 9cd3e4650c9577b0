import * as tf from '@tensorflow/tfjs-core';
import { cpuAdapter, importModule, registeredBackendAdapter } from '@trientropy/backends';
import { describeBackendContract } from '@trientropy/backends/testing';
import { softplus } from '@trientropy/distributions';
import { backendAdapter } from './index.js';
import { runtimeHasWasmSimd } from './wasm-simd-support.js';
import { wasmAdapter } from './wasm-adapter.js';

describeBackendContract(wasmAdapter);

describe('wasmAdapter', () => {
  afterAll(async () => {
    await cpuAdapter.init();
  });

  it('is exported as backendAdapter for lazy loading', () => {
    expect(backendAdapter).toBe(wasmAdapter);
    expect(backendAdapter.name).toBe('wasm');
  });

  it('starts the wasm backend with SIMD where the runtime has it, on one thread, and says why', async () => {
    expect(wasmAdapter.isAvailable()).toBe(true);
    const info = await wasmAdapter.init();
    expect(tf.getBackend()).toBe('wasm');
    expect(info).toMatchObject({ backend: 'wasm', tfjsBackend: 'wasm', kernels: `@tensorflow/tfjs-backend-wasm@${tf.version_core}`, threads: 1 });
    expect(info.simd).toBe(runtimeHasWasmSimd());
    expect(info.notes.join('\n')).toMatch(/single-threaded in Node.*ERR_WORKER_PATH/);
  });

  it('rejects a thread count it cannot honour in Node, naming the argument and the reason', async () => {
    await expect(wasmAdapter.init({ threads: 2 })).rejects.toThrow(/^threads: expected 1 \(tfjs-backend-wasm 4\.22 runs single-threaded in Node.*got 2$/);
    await expect(wasmAdapter.init({ threads: 0 })).rejects.toThrow('threads: expected an integer ≥ 1, got 0');
  });

  it('rejects wasmPaths once the binary has been fetched (tfjs reads them only at the first start)', async () => {
    await wasmAdapter.init();
    await expect(wasmAdapter.init({ wasmPaths: '/assets/' })).rejects.toThrow(/^wasmPaths: expected unset \(the wasm backend already started in this process/);
  });

  it('registers itself on import, so selectBackend finds it without a lazy import by name (browsers)', () => {
    expect(registeredBackendAdapter('wasm')).toBe(wasmAdapter);
  });

  it('rejects a SIMD choice that contradicts the binary already started in this process', async () => {
    await wasmAdapter.init();
    const simd = runtimeHasWasmSimd();
    await expect(wasmAdapter.init({ simd })).resolves.toMatchObject({ simd });
    await expect(wasmAdapter.init({ simd: !simd })).rejects.toThrow(/^simd: expected .*already started with SIMD/);
  });

  it('probes without changing the active backend', async () => {
    await cpuAdapter.init();
    const probe = await wasmAdapter.probe();
    expect(probe).toMatchObject({ available: true, info: { backend: 'wasm' } });
    expect(tf.getBackend()).toBe('cpu');
  });
});

describe('known gaps of tfjs-backend-wasm 4.22 (documented in the README)', () => {
  afterAll(async () => {
    await cpuAdapter.init();
  });

  // Fails (and should then be removed from the README) once the wasm backend gains the kernel.
  it("has no UnsortedSegmentSum kernel, so gather's gradient throws (nothing in trientropy differentiates through gather)", async () => {
    await wasmAdapter.init();
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const indices = tf.tensor1d([1, 0, 1], 'int32');
    expect(() => tf.grad((a: tf.Tensor) => tf.sum(tf.gather(a, indices)))(x)).toThrow("Kernel 'UnsortedSegmentSum' not registered for backend 'wasm'");
    // No tensor-count check here: tfjs itself leaks the intermediates of a gradient computation that throws.
    tf.dispose([x, indices]);
  });
});

describe("tfjs's IS_TEST kernel leak check on wasm (a false positive, documented in the README)", () => {
  afterAll(async () => {
    tf.env().set('IS_TEST', true);
    await cpuAdapter.init();
  });

  // Fails (and the README note should go) once tfjs stops counting the copy a customGrad saves as a leak.
  it('throws for a custom-gradient op that saves its input, though nothing accumulates', async () => {
    // No tensor-count check around the throwing call: tfjs leaks the intermediates of a gradient that throws.
    await wasmAdapter.init();
    const x = tf.tensor1d([-3, 0.5, 2, 30]);
    tf.env().set('IS_TEST', true);
    // Only when recorded for a gradient: then customGrad's save() clones the input (a copy on wasm).
    expect(() => tf.grad(softplus)(x)).toThrow("Backend 'wasm' has an internal memory leak (1 data ids) after running 'forward'");
    tf.env().set('IS_TEST', false);
    const tensors = tf.memory().numTensors;
    const dataIds = tf.backend().numDataIds();
    for (let i = 0; i < 5; i++) {
      tf.dispose([softplus(x), tf.grad(softplus)(x)]);
    }
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.backend().numDataIds()).toBe(dataIds);
    x.dispose();
  });
});

describe('importModule from the built @trientropy/backends', () => {
  // Under Jest the built packages' native import() throws ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING; importModule
  // must fall back to require, and must load the same module instance the test uses.
  it('loads a package even inside Jest, as the same instance', async () => {
    const loaded = (await importModule('@tensorflow/tfjs-core', import.meta.url)) as typeof tf;
    expect(loaded.engine()).toBe(tf.engine());
  });

  it('passes on "not found" for a package that is not installed', async () => {
    await expect(importModule('@trientropy/no-such-package', import.meta.url)).rejects.toMatchObject({ code: 'MODULE_NOT_FOUND' });
  });
});
