import * as tf from '@tensorflow/tfjs-core';
import type { NativeBackend } from './native-backend.js';

/**
 * Name of the native backend's Gaussian latent-block kernel. @trientropy/models' ELBO runs it where the active
 * backend has it (`tf.getKernel(GAUSSIAN_LATENT_KERNEL, tf.getBackend())`) for a model with the standard prior,
 * instead of its `reparameterize` and `standardNormalKl` ops (~20 kernels and two tape nodes per training step on
 * [n, H] arrays, and the two Adds that accumulate their gradients):
 *
 * - inputs `{ mean, logVariance, noise }`: ν and log τ² [n, H], the draws ε [S, n, H], float32;
 * - outputs `[z, kl, scale, expm1]`: `z = ν + exp(½ log τ²)·ε` as [S·n, H] (sample-major), the scalar
 *   `mean_n Σ_h KL(N(ν_nh, τ_nh²) ‖ N(0, 1))` = `mean_n Σ_h ½((expm1(log τ²) − log τ²) + ν²)`, and τ and
 *   expm1(log τ²) [n, H], which the gradient reuses (the two transcendentals are most of the kernel's time).
 *
 * Its gradient ({@link GAUSSIAN_LATENT_GRAD_KERNEL}, registered with tfjs for this kernel name) is one kernel too.
 * Both round as the ops they replace do on this backend (gaussian-latent.test.ts compares them).
 */
export const GAUSSIAN_LATENT_KERNEL = 'TrientropyGaussianLatent';

/**
 * The gradient kernel of {@link GAUSSIAN_LATENT_KERNEL}: inputs `{ mean, scale, expm1, noise, dz, dkl }` (scale and
 * expm1 as the forward kernel returned them), outputs `[dMean, dLogVariance]`.
 */
export const GAUSSIAN_LATENT_GRAD_KERNEL = 'TrientropyGaussianLatentGrad';

interface LatentShape {
  rows: number;
  samples: number;
  width: number;
}

/** Checks mean and a second [n, H] input (`secondName`: logVariance forward, scale backward) and noise [S, n, H]. */
function checkLatentInputs(kernel: string, mean: tf.TensorInfo | undefined, second: tf.TensorInfo | undefined, noise: tf.TensorInfo | undefined, secondName: string): LatentShape {
  if (mean === undefined || second === undefined || noise === undefined) throw new Error(`${kernel}: inputs mean, ${secondName} and noise are required`);
  for (const [name, t] of [['mean', mean], [secondName, second], ['noise', noise]] as const) {
    if (t.dtype !== 'float32') throw new Error(`${kernel}: ${name} must be float32, got ${t.dtype}`);
  }
  if (mean.shape.length !== 2) throw new Error(`${kernel}: mean: expected [n, H], got [${mean.shape}]`);
  const [rows, width] = mean.shape as [number, number];
  if (second.shape.length !== 2 || second.shape[0] !== rows || second.shape[1] !== width) {
    throw new Error(`${kernel}: ${secondName}: expected [${rows}, ${width}] as mean, got [${second.shape}]`);
  }
  if (noise.shape.length !== 3 || noise.shape[1] !== rows || noise.shape[2] !== width || noise.shape[0]! < 1) {
    throw new Error(`${kernel}: noise: expected [S, ${rows}, ${width}], got [${noise.shape}]`);
  }
  if (rows < 1 || width < 1) throw new Error(`${kernel}: mean: expected a non-empty [n, H], got [${mean.shape}]`);
  return { rows, samples: noise.shape[0]!, width };
}

/** The kernel function of {@link GAUSSIAN_LATENT_KERNEL} on the native backend. */
export function gaussianLatent({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo[] {
  const { mean, logVariance, noise } = inputs as { mean?: tf.TensorInfo; logVariance?: tf.TensorInfo; noise?: tf.TensorInfo };
  const { rows, samples, width } = checkLatentInputs(GAUSSIAN_LATENT_KERNEL, mean, logVariance, noise, 'logVariance');
  const z = backend.allocate(samples * rows * width);
  const kl = new Float32Array(1);
  const scale = backend.allocate(rows * width);
  const expm1 = backend.allocate(rows * width);
  backend.addon.gaussianLatent(backend.readFloat32(mean!), backend.readFloat32(logVariance!), backend.readFloat32(noise!), z, kl, scale, expm1, rows, samples, width);
  return [backend.output(z, [samples * rows, width]), backend.output(kl, []), backend.output(scale, [rows, width]), backend.output(expm1, [rows, width])];
}

/** The kernel function of {@link GAUSSIAN_LATENT_GRAD_KERNEL} on the native backend. */
export function gaussianLatentGrad({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo[] {
  const { mean, scale, expm1, noise, dz, dkl } = inputs as Partial<Record<'mean' | 'scale' | 'expm1' | 'noise' | 'dz' | 'dkl', tf.TensorInfo>>;
  const { rows, samples, width } = checkLatentInputs(GAUSSIAN_LATENT_GRAD_KERNEL, mean, scale, noise, 'scale');
  if (expm1 === undefined || expm1.dtype !== 'float32' || expm1.shape.length !== 2 || expm1.shape[0] !== rows || expm1.shape[1] !== width) {
    throw new Error(`${GAUSSIAN_LATENT_GRAD_KERNEL}: expm1: expected float32 [${rows}, ${width}], got ${expm1 === undefined ? 'none' : `${expm1.dtype} [${expm1.shape}]`}`);
  }
  if (dz === undefined || dkl === undefined) throw new Error(`${GAUSSIAN_LATENT_GRAD_KERNEL}: inputs dz and dkl are required`);
  if (dz.dtype !== 'float32' || dz.shape.length !== 2 || dz.shape[0] !== samples * rows || dz.shape[1] !== width) {
    throw new Error(`${GAUSSIAN_LATENT_GRAD_KERNEL}: dz: expected float32 [${samples * rows}, ${width}], got ${dz.dtype} [${dz.shape}]`);
  }
  if (dkl.dtype !== 'float32' || dkl.shape.length !== 0) throw new Error(`${GAUSSIAN_LATENT_GRAD_KERNEL}: dkl: expected a float32 scalar, got ${dkl.dtype} [${dkl.shape}]`);
  const dMean = backend.allocate(rows * width);
  const dLogVariance = backend.allocate(rows * width);
  backend.addon.gaussianLatentGrad(
    backend.readFloat32(mean!), backend.readFloat32(scale!), backend.readFloat32(expm1), backend.readFloat32(noise!), backend.readFloat32(dz), backend.readFloat32(dkl),
    dMean, dLogVariance, rows, samples, width,
  );
  return [backend.output(dMean, [rows, width]), backend.output(dLogVariance, [rows, width])];
}

/** tfjs's gradient of {@link GAUSSIAN_LATENT_KERNEL}: one {@link GAUSSIAN_LATENT_GRAD_KERNEL} call (noise is data). */
export const GAUSSIAN_LATENT_GRADIENT: tf.GradConfig = {
  kernelName: GAUSSIAN_LATENT_KERNEL,
  inputsToSave: ['mean', 'noise'],
  outputsToSave: [false, false, true, true],
  gradFunc: (dy, saved) => {
    // dy holds zeros for scale and expm1, which nothing downstream uses.
    const [dz, dkl] = dy as tf.Tensor[];
    const [mean, noise, scale, expm1] = saved;
    const [dMean, dLogVariance] = tf.engine().runKernel(GAUSSIAN_LATENT_GRAD_KERNEL, { mean: mean!, scale: scale!, expm1: expm1!, noise: noise!, dz: dz!, dkl: dkl! }, {}) as tf.Tensor[];
    return { mean: () => dMean!, logVariance: () => dLogVariance!, noise: () => tf.zerosLike(noise!) };
  },
};
