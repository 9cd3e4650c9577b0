import * as tf from '@tensorflow/tfjs-core';

/** The optional peer that provides the kernels. */
export const TFJS_NODE_GPU_PACKAGE = '@tensorflow/tfjs-node-gpu';

/** libtensorflow version that @tensorflow/tfjs-node-gpu 4.22.0 downloads (scripts/deps-constants.js). */
export const LIBTENSORFLOW_GPU_VERSION = '2.9.1';

/** CUDA toolkit version libtensorflow 2.9 is built against (TensorFlow's tested build configurations). */
export const CUDA_VERSION = '11.2';

/** cuDNN version libtensorflow 2.9 is built against. */
export const CUDNN_VERSION = '8.1';

/**
 * Oldest NVIDIA Linux driver that runs CUDA 11.x applications (CUDA minor-version compatibility; CUDA 11.2's
 * own minimum is 460.27.03). TensorFlow 2.9's install guide states the same 450.80.02.
 */
export const MIN_DRIVER_VERSION = '450.80.02';

/** Platforms for which tfjs-node-gpu 4.22 has a GPU build of libtensorflow (scripts/deps-constants.js). */
export const CUDA_PLATFORMS: readonly string[] = ['linux-x64', 'win32-x64'];

/**
 * Shared libraries libtensorflow 2.9's GPU build opens at start (Linux sonames). If any is missing it does
 * not fail: it logs "Could not load dynamic library ..." and silently runs on the CPU, which this adapter
 * detects and reports.
 */
export const CUDA_LIBRARIES: readonly string[] = [
  'libcudart.so.11.0',
  'libcublas.so.11',
  'libcublasLt.so.11',
  'libcufft.so.10',
  'libcurand.so.10',
  'libcusolver.so.11',
  'libcusparse.so.11',
  'libcudnn.so.8',
];

/** One line for `doctor`: what the cuda backend needs. */
export const CUDA_REQUIREMENTS =
  `${TFJS_NODE_GPU_PACKAGE}@${tf.version_core} (optional peer; downloads libtensorflow ${LIBTENSORFLOW_GPU_VERSION} GPU), ` +
  `an NVIDIA GPU with driver ≥ ${MIN_DRIVER_VERSION}, CUDA ${CUDA_VERSION} and cuDNN ${CUDNN_VERSION} libraries on the loader path, Linux x86-64 or Windows x86-64`;

/** How to check each requirement by hand (printed as part of the fix). */
export const CUDA_HOW_TO_CHECK = [
  `driver and GPU: nvidia-smi (the driver version must be ≥ ${MIN_DRIVER_VERSION})`,
  `CUDA ${CUDA_VERSION}: ldconfig -p | grep -E 'libcudart.so.11.0|libcublas.so.11' (or ls $LD_LIBRARY_PATH)`,
  `cuDNN ${CUDNN_VERSION}: ldconfig -p | grep libcudnn.so.8`,
  `the package: npm ls ${TFJS_NODE_GPU_PACKAGE} @tensorflow/tfjs-core (one tfjs-core, ${tf.version_core})`,
];

/** What to run to get the cuda backend, with the checks. */
export const CUDA_REMEDY =
  `npm install ${TFJS_NODE_GPU_PACKAGE}@${tf.version_core} with install scripts enabled and access to storage.googleapis.com ` +
  `(it downloads libtensorflow ${LIBTENSORFLOW_GPU_VERSION} GPU), and install CUDA ${CUDA_VERSION} + cuDNN ${CUDNN_VERSION} ` +
  `(NVIDIA driver ≥ ${MIN_DRIVER_VERSION}). Check:\n${CUDA_HOW_TO_CHECK.map((line) => `- ${line}`).join('\n')}`;
