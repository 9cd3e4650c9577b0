import * as tf from '@tensorflow/tfjs-core';

/**
 * A kernel that copies the rows into a recycled array of the backend's own, where the active backend has it
 * (today @trientropy/backend-native's `native`; see its HOST_ROWS_KERNEL for the contract). Named here rather
 * than imported, because backends sit at the edge and nothing depends on them.
 */
const HOST_ROWS_KERNEL = 'TrientropyHostRows';

/**
 * Backends that copy a tensor's values into memory of their own when the tensor is created (wasm copies into
 * its heap), so one host buffer can be refilled for every batch; cpu and webgl keep the array they are given.
 */
const COPYING_BACKENDS: ReadonlySet<string> = new Set(['wasm']);

/**
 * Minibatches assembled on the host: the rows of a row-major `[rows, cols]` matrix, in the order of a
 * permutation, copied into a fresh buffer that becomes the batch tensor. This replaces a per-step `tf.gather`
 * (a per-element kernel: ~3 ms per step of the reference VAE on wasm) by row copies and one upload, with the
 * same numbers. Writing a fresh large array costs page faults (~6 CPU-ms per batch of 512 Fashion-MNIST rows on a
 * 2-core VM), so: where the backend has the host-rows kernel (native) it copies into an array it recycles; on
 * wasm, which copies the values into its heap, one buffer is refilled; elsewhere (cpu, webgl keep the array
 * they are given) each batch gets a fresh buffer.
 */
export class HostBatches {
  /** The buffer reused on backends that copy the data they are given (see {@link COPYING_BACKENDS}). */
  private reusable: Float32Array | undefined;

  constructor(
    private readonly values: Float32Array,
    private readonly cols: number,
  ) {}

  /** Rows `order[start]`, …, `order[start + size − 1]` as a `[size, cols]` tensor the caller owns. */
  batch(order: Int32Array, start: number, size: number): tf.Tensor2D {
    const cols = this.cols;
    if (tf.getKernel(HOST_ROWS_KERNEL, tf.getBackend()) !== undefined) {
      return tf.engine().runKernel(HOST_ROWS_KERNEL, {}, { values: this.values, cols, order, start, size } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
    }
    const copies = COPYING_BACKENDS.has(tf.getBackend());
    if (copies && this.reusable?.length !== size * cols) this.reusable = new Float32Array(size * cols);
    const buffer = copies ? this.reusable! : new Float32Array(size * cols);
    for (let i = 0; i < size; i++) {
      const row = order[start + i]!;
      buffer.set(this.values.subarray(row * cols, (row + 1) * cols), i * cols);
    }
    return tf.tensor2d(buffer, [size, cols], 'float32');
  }
}

/** The values of a data set as a host array: a DataMatrix's own, or one read of a tensor (before training starts). */
export async function hostValues(data: { values: Float32Array } | tf.Tensor2D): Promise<Float32Array> {
  return data instanceof tf.Tensor ? ((await data.data()) as Float32Array) : data.values;
}
