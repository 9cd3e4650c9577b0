import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { BackendUnavailableError, cpuAdapter, doctorReport, formatDoctorReport } from '@trientropy/backends';
import { describeBackendContract } from '@trientropy/backends/testing';
import { backendAdapter } from './index.js';
import { type NodeAdapterEnvironment, createNodeAdapter, nodeAdapter } from './node-adapter.js';

// Runs against libtensorflow when @tensorflow/tfjs-node is installed; otherwise reported as skipped with why.
describeBackendContract(nodeAdapter);

function notFound(specifier: string): Error {
  return Object.assign(new Error(`Cannot find module '${specifier}'`), { code: 'MODULE_NOT_FOUND' });
}

const absent: NodeAdapterEnvironment = {
  resolve: (s) => {
    throw notFound(s);
  },
  importer: async (s) => Promise.reject(notFound(s)),
  platform: 'linux-x64',
};

/** Stands in for an installed tfjs-node: registers a 'tensorflow' backend with the fields tfjs-node's has. */
const fakeTfjsNode: NodeAdapterEnvironment = {
  resolve: () => '/fake/node_modules/@tensorflow/tfjs-node/dist/index.js',
  importer: async () => {
    if (tf.findBackendFactory('tensorflow') === null) {
      tf.registerBackend('tensorflow', () => Object.assign(new MathBackendCPU(), { binding: { TF_Version: '2.9.1' }, isUsingGpuDevice: false }));
      for (const kernel of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...kernel, backendName: 'tensorflow' });
    }
    return { version: { 'tfjs-node': '4.22.0' } };
  },
  platform: 'linux-x64',
};

afterAll(async () => {
  await cpuAdapter.init();
  if (tf.findBackendFactory('tensorflow') !== null && !nodeAdapter.isAvailable()) {
    for (const kernel of tf.getKernelsForBackend('tensorflow')) tf.unregisterKernel(kernel.kernelName, 'tensorflow');
    tf.removeBackend('tensorflow');
  }
});

describe('nodeAdapter', () => {
  it('is exported as backendAdapter for lazy loading', () => {
    expect(backendAdapter).toBe(nodeAdapter);
    expect(nodeAdapter.name).toBe('node');
    expect(nodeAdapter.requirements).toMatch(/@tensorflow\/tfjs-node@4\.22\.0 \(optional peer\).*libtensorflow 2\.9\.1/);
  });

  // Exactly one of the next two runs, depending on this machine; the other is reported as skipped.
  const installed = nodeAdapter.isAvailable();
  if (!installed) console.warn(`backend-node: @tensorflow/tfjs-node is not installed here, so the tests against the real package are skipped: ${nodeAdapter.check().reason}`);
  (installed ? it.skip : it)('without @tensorflow/tfjs-node: check and init say what to install', async () => {
    expect(nodeAdapter.check()).toMatchObject({ available: false, reason: '@tensorflow/tfjs-node is not installed (it is an optional peer dependency)' });
    await expect(nodeAdapter.init()).rejects.toThrow(BackendUnavailableError);
    await expect(nodeAdapter.init()).rejects.toThrow(/backend 'node' is not available: @tensorflow\/tfjs-node is not installed\n {2}fix: npm install @tensorflow\/tfjs-node@4\.22\.0/);
    const report = formatDoctorReport(await doctorReport({ adapters: [nodeAdapter] }));
    expect(report).toContain('node: does not load: @tensorflow/tfjs-node is not installed (it is an optional peer dependency)\n  fix: npm install @tensorflow/tfjs-node@4.22.0');
  });
  (installed ? it : it.skip)('with @tensorflow/tfjs-node: starts libtensorflow 2.9.1 on the CPU', async () => {
    const info = await nodeAdapter.init();
    expect(info).toMatchObject({ backend: 'node', tfjsBackend: 'tensorflow', device: 'CPU (libtensorflow, native)' });
    expect(info.kernels).toMatch(/^@tensorflow\/tfjs-node@4\.22\.0 \(libtensorflow 2\.9\.1\)$/);
    await cpuAdapter.init();
  });
});

describe('createNodeAdapter with a substituted environment', () => {
  afterEach(async () => {
    await cpuAdapter.init();
  });

  it('is unavailable on a platform without prebuilt libtensorflow, saying so', () => {
    const adapter = createNodeAdapter({ ...fakeTfjsNode, platform: 'linux-ppc64' });
    expect(adapter.check()).toMatchObject({ available: false, reason: '@tensorflow/tfjs-node has no prebuilt libtensorflow for linux-ppc64' });
    expect(adapter.isAvailable()).toBe(false);
  });

  it('passes on why an installed tfjs-node fails to load', async () => {
    const broken = createNodeAdapter({
      ...fakeTfjsNode,
      importer: async () => Promise.reject(new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory')),
    });
    expect(broken.isAvailable()).toBe(true); // the static check cannot know; init and probe must report it
    await expect(broken.init()).rejects.toThrow(/@tensorflow\/tfjs-node is installed but failed to load: libtensorflow\.so\.2: cannot open shared object file/);
    const probe = await broken.probe();
    expect(probe).toMatchObject({ available: false });
    expect(probe.reason).toMatch(/libtensorflow\.so\.2/);
    expect(probe.remedy).toMatch(/npm rebuild @tensorflow\/tfjs-node/);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('starts the tensorflow backend and reports versions; rejects options it cannot honour', async () => {
    const adapter = createNodeAdapter(fakeTfjsNode);
    const info = await adapter.init();
    expect(info).toEqual({
      backend: 'node',
      tfjsBackend: 'tensorflow',
      tfjsCoreVersion: tf.version_core,
      kernels: '@tensorflow/tfjs-node@4.22.0 (libtensorflow 2.9.1)',
      simd: true,
      threads: undefined,
      device: 'CPU (libtensorflow, native)',
      notes: [],
    });
    expect(tf.getBackend()).toBe('tensorflow');
    await expect(adapter.init({ threads: 4 })).rejects.toThrow('threads: expected 1 (the node backend does not take a thread count), got 4');
  });

  it('reports a missing package from check, init and probe alike', async () => {
    const adapter = createNodeAdapter(absent);
    expect(adapter.check().reason).toBe('@tensorflow/tfjs-node is not installed (it is an optional peer dependency)');
    await expect(adapter.probe()).resolves.toMatchObject({ available: false, reason: adapter.check().reason });
    await expect(adapter.init()).rejects.toThrow(/@tensorflow\/tfjs-node is not installed/);
  });
});
