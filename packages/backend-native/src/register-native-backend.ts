import * as tf from '@tensorflow/tfjs-core';
// Importing the cpu backend registers its kernels (and `cpu`), whose list the native backend copies.
import '@tensorflow/tfjs-backend-cpu';
import type { NativeAddon } from './addon.js';
import { FUSED_ADAM_KERNEL, fusedAdam } from './fused-adam.js';
import { GAUSSIAN_LATENT_GRADIENT, GAUSSIAN_LATENT_GRAD_KERNEL, GAUSSIAN_LATENT_KERNEL, gaussianLatent, gaussianLatentGrad } from './gaussian-latent.js';
import { HOST_ROWS_KERNEL, hostRows } from './host-rows.js';
import { MLP_GAUSSIAN_ELBO_GRAD_KERNEL, MLP_GAUSSIAN_ELBO_KERNEL, mlpGaussianElbo, mlpGaussianElboGrad } from './mlp-gaussian-elbo.js';
import { DENSE_GRAD_KERNEL, denseGrad } from './dense-grad.js';
import { NativeBackend } from './native-backend.js';
import { NATIVE_KERNELS } from './native-kernels.js';
import { RANDOM_NORMAL_KERNEL, randomNormal } from './random-normal.js';
import { SQUARED_ERROR_KERNEL, squaredError } from './squared-error.js';

/** Name of the backend in tfjs's registry. */
export const NATIVE_TFJS_BACKEND = 'native';

/**
 * Registers the `native` tfjs backend (once per process): a {@link NativeBackend} factory at priority 0,
 * below cpu's 1, so that it never becomes tfjs's default by itself; every kernel of the cpu backend,
 * re-registered for it; and over those, the kernels of {@link NATIVE_KERNELS}, each falling back to the cpu
 * kernel for the inputs it does not handle (other dtypes, shapes it does not cover); and the fused Adam
 * kernel {@link FUSED_ADAM_KERNEL}, the minibatch kernel {@link HOST_ROWS_KERNEL}, the dense-layer gradient
 * {@link DENSE_GRAD_KERNEL}, the ELBO's squared error {@link SQUARED_ERROR_KERNEL}, its latent block
 * {@link GAUSSIAN_LATENT_KERNEL} (with its gradient kernel, registered as its tfjs gradient), the whole ELBO of a
 * dense ReLU/linear Gaussian VAE {@link MLP_GAUSSIAN_ELBO_KERNEL} and its gradient kernel, and tfjs's normal draws
 * {@link RANDOM_NORMAL_KERNEL}, which only this backend has.
 */
export function registerNativeBackend(addon: NativeAddon): void {
  if (tf.findBackendFactory(NATIVE_TFJS_BACKEND) !== null) return;
  tf.registerBackend(NATIVE_TFJS_BACKEND, () => new NativeBackend(addon), 0);
  for (const config of tf.getKernelsForBackend('cpu')) {
    const native = NATIVE_KERNELS.get(config.kernelName);
    const fallback = config.kernelFunc;
    const kernelFunc: tf.KernelFunc =
      native === undefined ? fallback : (args) => native(args as Parameters<typeof native>[0], fallback);
    tf.registerKernel({ ...config, backendName: NATIVE_TFJS_BACKEND, kernelFunc });
  }
  tf.registerKernel({ kernelName: FUSED_ADAM_KERNEL, backendName: NATIVE_TFJS_BACKEND, kernelFunc: fusedAdam as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: HOST_ROWS_KERNEL, backendName: NATIVE_TFJS_BACKEND, kernelFunc: hostRows as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: SQUARED_ERROR_KERNEL, backendName: NATIVE_TFJS_BACKEND, kernelFunc: squaredError as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: RANDOM_NORMAL_KERNEL, backendName: NATIVE_TFJS_BACKEND, kernelFunc: randomNormal as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: GAUSSIAN_LATENT_KERNEL, backendName: NATIVE_TFJS_BACKEND, kernelFunc: gaussianLatent as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: GAUSSIAN_LATENT_GRAD_KERNEL, backendName: NATIVE_TFJS_BACKEND, kernelFunc: gaussianLatentGrad as unknown as tf.KernelFunc });
  // Gradients are registered by kernel name for every backend; only this one has the kernel.
  if (tf.getGradient(GAUSSIAN_LATENT_KERNEL) === undefined) tf.registerGradient(GAUSSIAN_LATENT_GRADIENT);
  tf.registerKernel({ kernelName: MLP_GAUSSIAN_ELBO_KERNEL, backendName: NATIVE_TFJS_BACKEND, kernelFunc: mlpGaussianElbo as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: MLP_GAUSSIAN_ELBO_GRAD_KERNEL, backendName: NATIVE_TFJS_BACKEND, kernelFunc: mlpGaussianElboGrad as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: DENSE_GRAD_KERNEL, backendName: NATIVE_TFJS_BACKEND, kernelFunc: denseGrad as unknown as tf.KernelFunc });
}
