import * as tf from '@tensorflow/tfjs-core';
import type { NativeBackend } from './native-backend.js';

/**
 * Name of the native backend's squared-error kernel. @trientropy/models' `meanSquaredErrorSum` (the Gaussian
 * ELBO's R) runs it where the active backend has it (`tf.getKernel(SQUARED_ERROR_KERNEL, tf.getBackend())`),
 * instead of Sub, Square, Sum and Mean, three passes over a [S·n, D] array fewer:
 *
 * - inputs `{ x, mu }`: data `x` [n, D] and decoder means `mu` [S·n, D] (sample-major: row s·n + r belongs to x's
 *   row r), float32;
 * - outputs `[value, difference]`: the scalar `mean over the S·n rows of ‖x_r − μ_row‖²` and `x_r − μ_row`
 *   [S·n, D], which the gradient needs.
 *
 * It rounds as those kernels do on this backend (float32 differences and squares, double row sums, the mean as a
 * double sum of float32 quotients, in the same partial sums), so the value is bit-identical to theirs.
 */
export const SQUARED_ERROR_KERNEL = 'TrientropySquaredError';

/** The kernel function of {@link SQUARED_ERROR_KERNEL} on the native backend. */
export function squaredError({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo[] {
  const { x, mu } = inputs as { x?: tf.TensorInfo; mu?: tf.TensorInfo };
  if (x === undefined || mu === undefined) throw new Error(`${SQUARED_ERROR_KERNEL}: inputs x and mu are required`);
  if (x.shape.length !== 2 || mu.shape.length !== 2) throw new Error(`${SQUARED_ERROR_KERNEL}: x and mu must be 2-D, got [${x.shape}] and [${mu.shape}]`);
  if (x.dtype !== 'float32' || mu.dtype !== 'float32') throw new Error(`${SQUARED_ERROR_KERNEL}: x and mu must be float32, got ${x.dtype} and ${mu.dtype}`);
  const [rows, dim] = x.shape as [number, number];
  const samples = mu.shape[0]! / rows;
  if (mu.shape[1] !== dim || !Number.isInteger(samples) || samples < 1 || rows < 1 || dim < 1) {
    throw new Error(`${SQUARED_ERROR_KERNEL}: mu: expected [S·${rows}, ${dim}] for x [${x.shape}], got [${mu.shape}]`);
  }
  const difference = backend.allocate(samples * rows * dim);
  const value = new Float32Array(1);
  backend.addon.squaredError(backend.readFloat32(x), backend.readFloat32(mu), difference, value, rows, samples, dim);
  return [backend.output(value, []), backend.output(difference, [samples * rows, dim])];
}
