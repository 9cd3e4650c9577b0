import { cudaAdapter } from './cuda-adapter.js';

export { type CudaAdapterEnvironment, createCudaAdapter, cudaAdapter } from './cuda-adapter.js';
export {
  type CommandResult,
  type CommandRunner,
  type CudaEnvironment,
  type GpuDescription,
  compareVersions,
  describeCudaEnvironment,
  findInLdconfigCache,
  inspectCudaEnvironment,
  parseNvidiaSmiGpus,
  runCommand,
} from './cuda-environment.js';
export {
  CUDA_HOW_TO_CHECK,
  CUDA_LIBRARIES,
  CUDA_PLATFORMS,
  CUDA_REMEDY,
  CUDA_REQUIREMENTS,
  CUDA_VERSION,
  CUDNN_VERSION,
  LIBTENSORFLOW_GPU_VERSION,
  MIN_DRIVER_VERSION,
  TFJS_NODE_GPU_PACKAGE,
} from './cuda-requirements.js';

/** The adapter under the name every adapter package exports, for `selectBackend`'s lazy loading. */
export const backendAdapter = cudaAdapter;
