import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { BackendUnavailableError, cpuAdapter, doctorReport, formatDoctorReport } from '@trientropy/backends';
import { describeBackendContract } from '@trientropy/backends/testing';
import { type CudaAdapterEnvironment, createCudaAdapter, cudaAdapter } from './cuda-adapter.js';
import type { CudaEnvironment } from './cuda-environment.js';
import { CUDA_LIBRARIES } from './cuda-requirements.js';
import { backendAdapter } from './index.js';

// Runs against the GPU when tfjs-node-gpu, the driver and CUDA/cuDNN are present; otherwise skipped with why.
describeBackendContract(cudaAdapter);

const allLibraries = CUDA_LIBRARIES.map((soname) => ({ soname, path: `/usr/lib/${soname}` }));
const h100: CudaEnvironment = { gpus: [{ name: 'NVIDIA H100 80GB HBM3', driverVersion: '550.54.15' }], libraries: allLibraries };

/** A machine with tfjs-node-gpu "installed" whose fake 'tensorflow' backend reports GPU use as given. */
function fakeMachine(usingGpu: boolean, inspected: CudaEnvironment = h100): CudaAdapterEnvironment {
  return {
    resolve: () => '/fake/node_modules/@tensorflow/tfjs-node-gpu/dist/index.js',
    importer: async () => {
      if (tf.findBackendFactory('tensorflow') !== null) tf.removeBackend('tensorflow');
      tf.registerBackend('tensorflow', () => Object.assign(new MathBackendCPU(), { binding: { TF_Version: '2.9.1' }, isUsingGpuDevice: usingGpu }));
      for (const kernel of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...kernel, backendName: 'tensorflow' });
      return { version: { 'tfjs-node': '4.22.0' } };
    },
    platform: 'linux-x64',
    inspect: () => inspected,
  };
}

afterAll(async () => {
  await cpuAdapter.init();
  if (tf.findBackendFactory('tensorflow') !== null && !cudaAdapter.isAvailable()) {
    for (const kernel of tf.getKernelsForBackend('tensorflow')) tf.unregisterKernel(kernel.kernelName, 'tensorflow');
    tf.removeBackend('tensorflow');
  }
});

describe('cudaAdapter on this machine', () => {
  it('is exported as backendAdapter and states the CUDA requirements', () => {
    expect(backendAdapter).toBe(cudaAdapter);
    expect(cudaAdapter.requirements).toMatch(/@tensorflow\/tfjs-node-gpu@4\.22\.0 .*driver ≥ 450\.80\.02, CUDA 11\.2 and cuDNN 8\.1/);
  });

  const available = cudaAdapter.isAvailable();
  if (!available) console.warn(`backend-cuda: not available here, so the tests against a real GPU are skipped: ${cudaAdapter.check().reason}`);
  (available ? it.skip : it)('when unavailable: init throws why, with the CUDA/cuDNN versions and how to check them', async () => {
    await expect(cudaAdapter.init()).rejects.toThrow(BackendUnavailableError);
    const message = await cudaAdapter.init().then(
      () => '',
      (error: Error) => error.message,
    );
    expect(message).toMatch(/^backend 'cuda' is not available: /);
    expect(message).toContain('install CUDA 11.2 + cuDNN 8.1 (NVIDIA driver ≥ 450.80.02)');
    expect(message).toContain('- driver and GPU: nvidia-smi');
    expect(message).toContain('ldconfig -p | grep libcudnn.so.8');
    expect(message).toMatch(/Found here: (no GPU: |GPU 0: )/);
    const report = formatDoctorReport(await doctorReport({ adapters: [cudaAdapter] }));
    expect(report).toMatch(/cuda: does not load: .*\n {2}fix: npm install @tensorflow\/tfjs-node-gpu@4\.22\.0/);
  });
  (available ? it : it.skip)('when available: starts TensorFlow on the GPU', async () => {
    const info = await cudaAdapter.init();
    expect(info).toMatchObject({ backend: 'cuda', tfjsBackend: 'tensorflow' });
    expect(info.device).toMatch(/^GPU 0: /);
    await cpuAdapter.init();
  });
});

describe('createCudaAdapter with a substituted machine', () => {
  afterEach(async () => {
    await cpuAdapter.init();
  });

  it('checks platform, package, GPU, driver version and libraries, in that order', () => {
    const on = (patch: Partial<CudaAdapterEnvironment>) => createCudaAdapter({ ...fakeMachine(true), ...patch }).check();
    expect(on({ platform: 'darwin-arm64' }).reason).toBe('@tensorflow/tfjs-node-gpu has no GPU build for darwin-arm64 (only linux-x64, win32-x64)');
    const notInstalled = on({
      resolve: (s) => {
        throw Object.assign(new Error(`Cannot find module '${s}'`), { code: 'MODULE_NOT_FOUND' });
      },
    });
    expect(notInstalled.reason).toBe('@tensorflow/tfjs-node-gpu is not installed (it is an optional peer dependency)');
    expect(notInstalled.remedy).toContain('Found here: GPU 0: NVIDIA H100 80GB HBM3 (driver 550.54.15); all CUDA/cuDNN libraries found');
    expect(on({ inspect: () => ({ gpus: [], driverProblem: 'nvidia-smi not found (no NVIDIA driver installed, or not on PATH)', libraries: allLibraries }) }).reason).toBe(
      'no NVIDIA GPU found: nvidia-smi not found (no NVIDIA driver installed, or not on PATH)',
    );
    expect(on({ inspect: () => ({ ...h100, gpus: [{ name: 'Tesla K80', driverVersion: '418.87.01' }] }) }).reason).toBe(
      'NVIDIA driver 418.87.01 is older than 450.80.02, the oldest that runs CUDA 11.2',
    );
    const noCudnn = { ...h100, libraries: allLibraries.map((l) => (l.soname === 'libcudnn.so.8' ? { ...l, path: undefined } : l)) };
    expect(on({ inspect: () => noCudnn }).reason).toBe('CUDA 11.2 / cuDNN 8.1 libraries not found (searched LD_LIBRARY_PATH and ldconfig -p): libcudnn.so.8');
    expect(on({ inspect: () => noCudnn, platform: 'win32-x64' }).available).toBe(true); // no ldconfig there: init decides
    expect(on({}).available).toBe(true);
  });

  it('inspects the machine once per adapter', () => {
    const inspect = jest.fn(() => h100);
    const adapter = createCudaAdapter({ ...fakeMachine(true), inspect });
    adapter.check();
    adapter.check();
    expect(inspect).toHaveBeenCalledTimes(1);
  });

  it('starts on the GPU and reports the device', async () => {
    const info = await createCudaAdapter(fakeMachine(true)).init();
    expect(info).toEqual({
      backend: 'cuda',
      tfjsBackend: 'tensorflow',
      tfjsCoreVersion: tf.version_core,
      kernels: '@tensorflow/tfjs-node-gpu@4.22.0 (libtensorflow 2.9.1, CUDA 11.2, cuDNN 8.1)',
      simd: true,
      threads: undefined,
      device: 'GPU 0: NVIDIA H100 80GB HBM3 (driver 550.54.15)',
      notes: [],
    });
    expect(tf.getBackend()).toBe('tensorflow');
  });

  it('refuses a TensorFlow that fell back to the CPU, restoring the previous backend', async () => {
    await cpuAdapter.init();
    const adapter = createCudaAdapter(fakeMachine(false));
    await expect(adapter.init()).rejects.toThrow(/placed no kernels on a GPU \(it fell back to the CPU/);
    expect(tf.getBackend()).toBe('cpu');
    const probe = await adapter.probe();
    expect(probe.available).toBe(false);
    expect(probe.remedy).toContain('cuDNN 8.1');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('rejects options it cannot honour', async () => {
    await expect(createCudaAdapter(fakeMachine(true)).init({ threads: 8 })).rejects.toThrow('threads: expected 1 (the cuda backend does not take a thread count), got 8');
  });
});
