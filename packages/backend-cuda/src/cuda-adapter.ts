import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import {
  type BackendAdapter,
  type BackendCheck,
  type BackendInfo,
  type BackendInitOptions,
  type BackendProbe,
  BackendUnavailableError,
  type ModuleImporter,
  activateTfjsBackend,
  activeTfjsBackend,
  checkInitOptions,
  importModule,
  resolveOptionalPeer,
  startLibtensorflowBackend,
  probeByStarting,
} from '@trientropy/backends';
import { type CudaEnvironment, compareVersions, describeCudaEnvironment, inspectCudaEnvironment } from './cuda-environment.js';
import { CUDA_PLATFORMS, CUDA_REMEDY, CUDA_REQUIREMENTS, CUDA_VERSION, CUDNN_VERSION, MIN_DRIVER_VERSION, TFJS_NODE_GPU_PACKAGE } from './cuda-requirements.js';

/** Where this adapter looks for its optional peer and the GPU; tests substitute all of it. */
export interface CudaAdapterEnvironment {
  /** Resolves a package name to a file, or throws MODULE_NOT_FOUND. Default: resolution from this package. */
  resolve: (specifier: string) => string;
  /** Imports a package by name. Default: dynamic `import()`. */
  importer: ModuleImporter;
  /** `process.platform-process.arch`. */
  platform: string;
  /** Inspects driver, GPUs and CUDA libraries. Default: {@link inspectCudaEnvironment}. */
  inspect: () => CudaEnvironment;
}

function defaultEnvironment(): CudaAdapterEnvironment {
  const localRequire = createRequire(import.meta.url);
  return {
    resolve: (s) => localRequire.resolve(s),
    importer: (s) => importModule(s, import.meta.url),
    platform: `${process.platform}-${process.arch}`,
    inspect: () => inspectCudaEnvironment(),
  };
}


/**
 * Creates the adapter for the `cuda` backend (libtensorflow's GPU build through the optional peer
 * `@tensorflow/tfjs-node-gpu`). `cudaAdapter` is this with the real environment; tests pass a fake one.
 */
export function createCudaAdapter(environment: CudaAdapterEnvironment = defaultEnvironment()): BackendAdapter {
  // nvidia-smi and ldconfig take tens of milliseconds: inspect once per adapter, on first need.
  let inspected: CudaEnvironment | undefined;
  const inspect = (): CudaEnvironment => (inspected ??= environment.inspect());
  const remedy = (): string => `${CUDA_REMEDY}\nFound here: ${describeCudaEnvironment(inspect())}`;

  const adapter: BackendAdapter = {
    name: 'cuda',
    requirements: CUDA_REQUIREMENTS,
    check(): BackendCheck {
      if (!CUDA_PLATFORMS.includes(environment.platform)) {
        return { available: false, reason: `${TFJS_NODE_GPU_PACKAGE} has no GPU build for ${environment.platform} (only ${CUDA_PLATFORMS.join(', ')})`, remedy: 'use the node or wasm backend on this platform' };
      }
      if (resolveOptionalPeer(TFJS_NODE_GPU_PACKAGE, environment.resolve) === undefined) {
        return { available: false, reason: `${TFJS_NODE_GPU_PACKAGE} is not installed (it is an optional peer dependency)`, remedy: remedy() };
      }
      const found = inspect();
      if (found.gpus.length === 0) {
        return { available: false, reason: `no NVIDIA GPU found: ${found.driverProblem ?? 'unknown reason'}`, remedy: remedy() };
      }
      const oldDriver = found.gpus.find((gpu) => compareVersions(gpu.driverVersion, MIN_DRIVER_VERSION) < 0);
      if (oldDriver !== undefined) {
        return { available: false, reason: `NVIDIA driver ${oldDriver.driverVersion} is older than ${MIN_DRIVER_VERSION}, the oldest that runs CUDA ${CUDA_VERSION}`, remedy: remedy() };
      }
      // The library search uses ldconfig, so it is only conclusive on Linux; on Windows init() finds out.
      const missing = found.libraries.filter((library) => library.path === undefined).map((library) => library.soname);
      if (environment.platform.startsWith('linux') && missing.length > 0) {
        return { available: false, reason: `CUDA ${CUDA_VERSION} / cuDNN ${CUDNN_VERSION} libraries not found (searched LD_LIBRARY_PATH and ldconfig -p): ${missing.join(', ')}`, remedy: remedy() };
      }
      return { available: true };
    },
    isAvailable(): boolean {
      return adapter.check().available;
    },
    probe(): Promise<BackendProbe> {
      return probeByStarting(adapter, remedy());
    },
    async init(options: BackendInitOptions = {}): Promise<BackendInfo> {
      checkInitOptions('cuda', options, []);
      const check = adapter.check();
      if (!check.available) throw new BackendUnavailableError('cuda', check.reason!, check.remedy);
      const previous = activeTfjsBackend();
      const started = await startLibtensorflowBackend('cuda', TFJS_NODE_GPU_PACKAGE, remedy(), environment.importer);
      if (!started.usingGpu) {
        // libtensorflow falls back to the CPU when a CUDA library fails to open; that is not what was asked for.
        if (previous !== undefined && previous !== activeTfjsBackend()) await activateTfjsBackend(previous);
        throw new BackendUnavailableError(
          'cuda',
          `${TFJS_NODE_GPU_PACKAGE} loaded, but TensorFlow placed no kernels on a GPU (it fell back to the CPU; its log above names the library it could not open, e.g. "Could not load dynamic library 'libcudnn.so.8'")`,
          remedy(),
        );
      }
      const gpus = inspect().gpus;
      return {
        backend: 'cuda',
        tfjsBackend: 'tensorflow',
        tfjsCoreVersion: tf.version_core,
        kernels: `${TFJS_NODE_GPU_PACKAGE}@${started.packageVersion} (libtensorflow ${started.tensorflowVersion}, CUDA ${CUDA_VERSION}, cuDNN ${CUDNN_VERSION})`,
        // The CPU-side kernels of libtensorflow are vectorised (AVX); the GPU ones are data-parallel anyway.
        simd: true,
        threads: undefined,
        device: gpus.length > 0 ? gpus.map((gpu, i) => `GPU ${i}: ${gpu.name} (driver ${gpu.driverVersion})`).join(', ') : 'GPU (nvidia-smi did not list it)',
        notes: gpus.length > 1 ? ['TensorFlow uses GPU 0 unless CUDA_VISIBLE_DEVICES says otherwise'] : [],
      };
    },
  };
  return adapter;
}

/**
 * The `cuda` backend: TensorFlow's GPU kernels (libtensorflow 2.9.1, CUDA 11.2, cuDNN 8.1) through
 * `@tensorflow/tfjs-node-gpu`, an optional peer dependency that must be installed separately. `check()`
 * resolves the package and inspects the driver (`nvidia-smi`) and the CUDA/cuDNN libraries (`ldconfig -p`,
 * `LD_LIBRARY_PATH`); `init()` loads it and also fails, restoring the previous backend, when TensorFlow falls
 * back to the CPU. Every failure is a BackendUnavailableError naming what to install and how to check it.
 */
export const cudaAdapter: BackendAdapter = createCudaAdapter();
