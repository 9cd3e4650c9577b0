import * as tf from '@tensorflow/tfjs-core';
import type { NativeBackend } from './native-backend.js';

/**
 * Name of the native backend's fused Adam kernel. An optimizer that finds it registered for the active backend
 * (`tf.getKernel(FUSED_ADAM_KERNEL, tf.getBackend())`) may run one kernel per variable instead of Adam's ~14
 * (@trientropy/trainers' LeanAdamOptimizer does):
 *
 * - inputs `{ value, gradient, firstMoment, secondMoment, oneMinusAccBeta1, oneMinusAccBeta2 }` (the last two
 *   are the scalars 1 − β₁ᵗ and 1 − β₂ᵗ, as tensors: tfjs's Adam computes them as tensors too);
 * - attrs `{ beta1, beta2, epsilon, learningRate }` (numbers);
 * - outputs `[newValue, newFirstMoment, newSecondMoment]`, for the caller to `assign`; or, when the attr
 *   `inPlace` is true and the backend owns the three arrays exclusively (see {@link NativeBackend.exclusive}:
 *   nothing else holds, views or has read them), no outputs: value and moments were then updated in place
 *   (the same arithmetic; no new arrays, and the weights keep their addresses between steps).
 *
 * It performs the same float32 operations in the same order as tfjs 4.22's AdamOptimizer.applyGradients from
 * scalars rounded as tfjs rounds them, so the results are bit-identical to tfjs's Adam on the cpu backend.
 */
export const FUSED_ADAM_KERNEL = 'TrientropyFusedAdam';

/** The kernel function of {@link FUSED_ADAM_KERNEL} on the native backend. */
export function fusedAdam({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo[] {
  const { value, gradient, firstMoment, secondMoment, oneMinusAccBeta1, oneMinusAccBeta2 } = inputs as Record<string, tf.TensorInfo>;
  for (const [name, tensor] of Object.entries({ value, gradient, firstMoment, secondMoment, oneMinusAccBeta1, oneMinusAccBeta2 })) {
    if (tensor === undefined) throw new Error(`${FUSED_ADAM_KERNEL}: input '${name}' is missing`);
  }
  const size = tf.util.sizeFromShape(value!.shape);
  for (const [name, tensor] of Object.entries({ gradient, firstMoment, secondMoment })) {
    if (!tf.util.arraysEqual(tensor!.shape, value!.shape)) throw new Error(`${FUSED_ADAM_KERNEL}: ${name}: expected shape [${value!.shape}], got [${tensor!.shape}]`);
  }
  const { beta1, beta2, epsilon, learningRate } = attrs as unknown as { beta1: number; beta2: number; epsilon: number; learningRate: number };
  // Rounded as tfjs rounds them: each is a float32 scalar tensor there (1 − β computed in double first).
  const scalars = Float32Array.of(beta1, 1 - beta1, beta2, 1 - beta2, backend.readFloat32(oneMinusAccBeta1!)[0]!, backend.readFloat32(oneMinusAccBeta2!)[0]!, epsilon, -learningRate);
  if (attrs['inPlace'] === true && backend.exclusive(value!) && backend.exclusive(firstMoment!) && backend.exclusive(secondMoment!)) {
    const v = backend.values(value!);
    const m = backend.values(firstMoment!);
    const s = backend.values(secondMoment!);
    // The addon reads each element before writing it, so outputs may be the inputs themselves.
    backend.addon.adam(v, backend.readFloat32(gradient!), m, s, v, m, s, scalars);
    return [];
  }
  const outValue = backend.allocate(size);
  const outFirst = backend.allocate(size);
  const outSecond = backend.allocate(size);
  backend.addon.adam(backend.readFloat32(value!), backend.readFloat32(gradient!), backend.readFloat32(firstMoment!), backend.readFloat32(secondMoment!), outValue, outFirst, outSecond, scalars);
  const shape = [...value!.shape];
  return [backend.output(outValue, shape), backend.output(outFirst, shape), backend.output(outSecond, [...shape])];
}
