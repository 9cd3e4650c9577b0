import * as tf from '@tensorflow/tfjs-core';

/**
 * Minibatches assembled on the host: the rows of a row-major `[rows, cols]` matrix, in the order of a
 * permutation, copied into a fresh buffer that becomes the batch tensor. This replaces a per-step `tf.gather`
 * (a per-element kernel: ~3 ms per step of the reference VAE on wasm) by row copies and one upload, with the
 * same numbers. Each batch gets its own buffer because some backends (cpu) keep the array they are given.
 */
export class HostBatches {
  constructor(
    private readonly values: Float32Array,
    private readonly cols: number,
  ) {}

  /** Rows `order[start]`, …, `order[start + size − 1]` as a `[size, cols]` tensor the caller owns. */
  batch(order: Int32Array, start: number, size: number): tf.Tensor2D {
    const cols = this.cols;
    const buffer = new Float32Array(size * cols);
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
