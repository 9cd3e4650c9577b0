import * as tf from '@tensorflow/tfjs-core';
import type { NativeBackend } from './native-backend.js';

/**
 * Name of the native backend's fused Adam kernel: one Adam update of a whole group of variables in one call,
 * instead of tfjs's ~14 kernels per variable (and one addon pass over each variable's arrays). An optimizer that
 * finds it registered for the active backend (`tf.getKernel(FUSED_ADAM_KERNEL, tf.getBackend())`) may run it
 * once per step; @trientropy/trainers' LeanAdamOptimizer does:
 *
 * - inputs `{ accBeta1, accBeta2, value0, gradient0, firstMoment0, secondMoment0, value1, … }`: the scalars βᵗ
 *   before this step (tfjs's AdamOptimizer's `accBeta1`, `accBeta2`) and, for i in 0…count − 1, each variable,
 *   its gradient and its two moments (shapes equal);
 * - attrs `{ count, beta1, beta2, epsilon, learningRate }` (numbers);
 * - outputs: none when every value and moment was updated in place (the backend owns all of them exclusively,
 *   see {@link NativeBackend.exclusive}: nothing else holds, views or has read them; the weights then keep their
 *   arrays between steps); otherwise, for every variable in order, `newValue`, `newFirstMoment`,
 *   `newSecondMoment` (3·count tensors, nothing updated) for the caller to `assign`.
 *
 * It performs the same float32 operations in the same order as tfjs 4.22's AdamOptimizer.applyGradients from
 * scalars rounded as tfjs rounds them (1 − βᵗ as its Sub kernel does), so the results are bit-identical to
 * tfjs's Adam on the cpu backend.
 */
export const FUSED_ADAM_KERNEL = 'TrientropyFusedAdamGroup';

/** The kernel function of {@link FUSED_ADAM_KERNEL} on the native backend. */
export function fusedAdam({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo[] {
  const { count, beta1, beta2, epsilon, learningRate } = attrs as unknown as { count: number; beta1: number; beta2: number; epsilon: number; learningRate: number };
  const { accBeta1, accBeta2 } = inputs as Record<string, tf.TensorInfo | undefined>;
  if (accBeta1 === undefined || accBeta2 === undefined) throw new Error(`${FUSED_ADAM_KERNEL}: inputs 'accBeta1' and 'accBeta2' are required`);
  if (!Number.isInteger(count) || count < 0) throw new Error(`${FUSED_ADAM_KERNEL}: count: expected a non-negative integer, got ${count}`);
  const groups: Array<{ value: tf.TensorInfo; gradient: tf.TensorInfo; firstMoment: tf.TensorInfo; secondMoment: tf.TensorInfo }> = [];
  for (let i = 0; i < count; i++) {
    const value = inputs[`value${i}`];
    const gradient = inputs[`gradient${i}`];
    const firstMoment = inputs[`firstMoment${i}`];
    const secondMoment = inputs[`secondMoment${i}`];
    if (value === undefined || gradient === undefined || firstMoment === undefined || secondMoment === undefined) {
      throw new Error(`${FUSED_ADAM_KERNEL}: inputs value${i}, gradient${i}, firstMoment${i} and secondMoment${i} are required (count ${count})`);
    }
    for (const [name, tensor] of Object.entries({ gradient, firstMoment, secondMoment })) {
      if (!tf.util.arraysEqual(tensor.shape, value.shape)) throw new Error(`${FUSED_ADAM_KERNEL}: ${name}${i}: expected shape [${value.shape}], got [${tensor.shape}]`);
    }
    groups.push({ value, gradient, firstMoment, secondMoment });
  }
  // Rounded as tfjs rounds them: each is a float32 scalar tensor there (1 − β and 1 − βᵗ computed in double first).
  const scalars = Float32Array.of(beta1, 1 - beta1, beta2, 1 - beta2, 1 - backend.readFloat32(accBeta1)[0]!, 1 - backend.readFloat32(accBeta2)[0]!, epsilon, -learningRate);
  const inPlace = groups.every((g) => backend.exclusive(g.value) && backend.exclusive(g.firstMoment) && backend.exclusive(g.secondMoment));
  if (inPlace) {
    for (const g of groups) {
      const v = backend.values(g.value);
      const m = backend.values(g.firstMoment);
      const s = backend.values(g.secondMoment);
      // The addon reads each element before writing it, so outputs may be the inputs themselves.
      backend.addon.adam(v, backend.readFloat32(g.gradient), m, s, v, m, s, scalars);
    }
    return [];
  }
  const outputs: tf.TensorInfo[] = [];
  for (const g of groups) {
    const size = tf.util.sizeFromShape(g.value.shape);
    const outValue = backend.allocate(size);
    const outFirst = backend.allocate(size);
    const outSecond = backend.allocate(size);
    backend.addon.adam(backend.readFloat32(g.value), backend.readFloat32(g.gradient), backend.readFloat32(g.firstMoment), backend.readFloat32(g.secondMoment), outValue, outFirst, outSecond, scalars);
    outputs.push(backend.output(outValue, [...g.value.shape]), backend.output(outFirst, [...g.value.shape]), backend.output(outSecond, [...g.value.shape]));
  }
  return outputs;
}
