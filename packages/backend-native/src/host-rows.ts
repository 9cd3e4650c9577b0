import * as tf from '@tensorflow/tfjs-core';
import type { NativeBackend } from './native-backend.js';

/**
 * Name of the native backend's minibatch kernel: rows of a host matrix, in a given order, copied by the addon
 * into a pooled output array. @trientropy/trainers' HostBatches runs it where the active backend has it
 * (`tf.getKernel(HOST_ROWS_KERNEL, tf.getBackend())`) instead of copying into a fresh Float32Array: on this
 * machine kind, writing a fresh 1.6 MB array (batch 512 of 784 columns) cost ~6 CPU-ms in page faults
 * (mmap'd memory is mapped on first touch), against ~0.3 ms into a recycled one.
 *
 * - no inputs; attrs `{ values, cols, order, start, size }`: `values` a row-major Float32Array of `cols`
 *   columns, `order` an Int32Array of row indices, of which `order[start]`, …, `order[start + size − 1]` are taken;
 * - output: the `[size, cols]` float32 batch.
 */
export const HOST_ROWS_KERNEL = 'TrientropyHostRows';

/** The kernel function of {@link HOST_ROWS_KERNEL} on the native backend. */
export function hostRows({ backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo {
  const { values, cols, order, start, size } = attrs as unknown as { values: Float32Array; cols: number; order: Int32Array; start: number; size: number };
  if (!(values instanceof Float32Array) || !(order instanceof Int32Array)) throw new Error(`${HOST_ROWS_KERNEL}: values must be a Float32Array and order an Int32Array`);
  if (!Number.isInteger(cols) || cols < 1 || values.length % cols !== 0) throw new Error(`${HOST_ROWS_KERNEL}: cols: expected a positive divisor of values.length (${values.length}), got ${cols}`);
  if (!Number.isInteger(start) || !Number.isInteger(size) || start < 0 || size < 1 || start + size > order.length) {
    throw new Error(`${HOST_ROWS_KERNEL}: start ${start} and size ${size} do not fit an order of length ${order.length}`);
  }
  const out = backend.allocate(size * cols);
  // gatherRows checks every index against the row count and throws naming the first bad one.
  backend.addon.gatherRows(values, cols, order.subarray(start, start + size), out);
  return backend.output(out, [size, cols]);
}
