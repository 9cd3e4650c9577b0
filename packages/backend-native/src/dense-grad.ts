import * as tf from '@tensorflow/tfjs-core';
import type { NativeBackend } from './native-backend.js';

/**
 * Name of the native backend's dense-layer gradient kernel. @trientropy/models' Dense runs it in its own
 * gradient where the active backend has it (`tf.getKernel(DENSE_GRAD_KERNEL, tf.getBackend())`), instead of
 * Step, Multiply, two BatchMatMul and Sum:
 *
 * - inputs `{ dy, x, w?, y? }` ([n, out], [n, in], [in, out], [n, out]); `y`, the layer's ReLU output, makes
 *   the pre-activation gradient `dy·step(y)`, without it the layer is linear; `w` is needed only for `dx`;
 * - attrs `{ inputGradient }` (boolean);
 * - outputs `[dx, dW, db]`, or `[dW, db]` when `inputGradient` is false.
 *
 * It runs the same float32 operations in the same order as those kernels on this backend (the same sgemm calls,
 * the same double-precision column sums), so gradients are bit-identical to the unfused path.
 */
export const DENSE_GRAD_KERNEL = 'TrientropyDenseGrad';

/** The kernel function of {@link DENSE_GRAD_KERNEL} on the native backend. */
export function denseGrad({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo[] {
  const { dy, x, w, y } = inputs as { dy?: tf.TensorInfo; x?: tf.TensorInfo; w?: tf.TensorInfo; y?: tf.TensorInfo };
  const inputGradient = attrs['inputGradient'] === true;
  if (dy === undefined || x === undefined || (inputGradient && w === undefined)) throw new Error(`${DENSE_GRAD_KERNEL}: inputs dy, x (and w for inputGradient) are required`);
  const [n, outSize] = dy.shape as [number, number];
  const inSize = x.shape[1]!;
  const expect = (t: tf.TensorInfo | undefined, shape: number[], name: string): void => {
    if (t !== undefined && !tf.util.arraysEqual(t.shape, shape)) throw new Error(`${DENSE_GRAD_KERNEL}: ${name}: expected shape [${shape}], got [${t.shape}]`);
    if (t !== undefined && t.dtype !== 'float32') throw new Error(`${DENSE_GRAD_KERNEL}: ${name}: expected float32, got ${t.dtype}`);
  };
  if (dy.shape.length !== 2 || x.shape.length !== 2) throw new Error(`${DENSE_GRAD_KERNEL}: dy and x must be 2-D`);
  expect(dy, [n, outSize], 'dy');
  expect(x, [n, inSize], 'x');
  expect(w, [inSize, outSize], 'w');
  expect(y, [n, outSize], 'y');
  const dyValues = backend.readFloat32(dy);
  // A linear layer's delta is dy itself (the addon then reads dy and writes nothing there): no scratch.
  const delta = y === undefined ? dyValues : backend.allocate(n * outSize);
  const dx = inputGradient ? backend.allocate(n * inSize) : null;
  const dw = backend.allocate(inSize * outSize);
  const db = backend.allocate(outSize);
  backend.addon.denseGrad(dyValues, backend.readFloat32(x), w === undefined ? null : backend.readFloat32(w), y === undefined ? null : backend.readFloat32(y), delta, dx, dw, db, n, inSize, outSize);
  if (delta !== dyValues) backend.releaseScratch(delta);
  const grads = [backend.output(dw, [inSize, outSize]), backend.output(db, [outSize])];
  return dx === null ? grads : [backend.output(dx, [n, inSize]), ...grads];
}
