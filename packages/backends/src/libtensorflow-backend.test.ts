import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { BackendUnavailableError } from './backend-unavailable-error.js';
import { cpuAdapter } from './cpu-adapter.js';
import { LIBTENSORFLOW_TFJS_BACKEND, startLibtensorflowBackend } from './libtensorflow-backend.js';
import { moduleNotFound } from './test-support/fake-adapter.js';

const REMEDY = 'npm install @tensorflow/tfjs-node@4.22.0';

afterEach(async () => {
  await cpuAdapter.init();
  if (tf.findBackendFactory(LIBTENSORFLOW_TFJS_BACKEND) !== null) tf.removeBackend(LIBTENSORFLOW_TFJS_BACKEND);
});

describe('startLibtensorflowBackend', () => {
  it('says the package is not installed and how to install it', async () => {
    const start = startLibtensorflowBackend('node', '@tensorflow/tfjs-node', REMEDY, async (s) => {
      throw moduleNotFound(s);
    });
    await expect(start).rejects.toThrow(BackendUnavailableError);
    await expect(startLibtensorflowBackend('node', '@tensorflow/tfjs-node', REMEDY, async (s) => Promise.reject(moduleNotFound(s)))).rejects.toThrow(
      "backend 'node' is not available: @tensorflow/tfjs-node is not installed\n  fix: npm install @tensorflow/tfjs-node@4.22.0",
    );
  });

  it('passes on why an installed package failed to load (e.g. its native addon was never downloaded)', async () => {
    const addonMissing = new Error('The Node.js native addon module (tfjs_binding.node) can not be found at path: /x/napi-v8/tfjs_binding.node.');
    await expect(startLibtensorflowBackend('cuda', '@tensorflow/tfjs-node-gpu', 'see README', async () => Promise.reject(addonMissing))).rejects.toThrow(
      /backend 'cuda' is not available: @tensorflow\/tfjs-node-gpu is installed but failed to load: The Node.js native addon module \(tfjs_binding.node\) can not be found/,
    );
  });

  it('detects a package that registered its backend with another copy of tfjs-core', async () => {
    await expect(startLibtensorflowBackend('node', '@tensorflow/tfjs-node', REMEDY, async () => ({ version: { 'tfjs-node': '4.22.0' } }))).rejects.toThrow(
      /its 'tensorflow' backend is not registered with the @tensorflow\/tfjs-core 4\.22\.0 in use here.*\n {2}fix: .*npm ls @tensorflow\/tfjs-core/,
    );
  });

  it('starts the registered backend and reads the versions and GPU use from it', async () => {
    // Stands in for tfjs-node: registers a 'tensorflow' backend exposing the fields tfjs-node's backend has.
    const importer = async () => {
      tf.registerBackend(LIBTENSORFLOW_TFJS_BACKEND, () => Object.assign(new MathBackendCPU(), { binding: { TF_Version: '2.9.1' }, isUsingGpuDevice: false }));
      for (const kernel of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...kernel, backendName: LIBTENSORFLOW_TFJS_BACKEND });
      return { version: { 'tfjs-node': '4.22.0' } };
    };
    const started = await startLibtensorflowBackend('node', '@tensorflow/tfjs-node', REMEDY, importer);
    expect(started).toEqual({ packageVersion: '4.22.0', tensorflowVersion: '2.9.1', usingGpu: false });
    expect(tf.getBackend()).toBe(LIBTENSORFLOW_TFJS_BACKEND);
    for (const kernel of tf.getKernelsForBackend(LIBTENSORFLOW_TFJS_BACKEND)) tf.unregisterKernel(kernel.kernelName, LIBTENSORFLOW_TFJS_BACKEND);
  });
});
