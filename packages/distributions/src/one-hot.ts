import * as tf from '@tensorflow/tfjs-core';

/**
 * float32 one-hot vectors of int32 indices (depth = number of categories).
 *
 * Why not `tf.oneHot(indices, depth, 1, 0, 'float32')`: the wasm backend's OneHot kernel ignores the dtype and
 * writes int32 bit patterns into the float32 buffer (1 reads as 1.4e-45). Building int32 one-hots and casting is
 * correct on every backend.
 */
export function oneHotFloat(indices: tf.Tensor, depth: number): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.oneHot(tf.cast(indices, 'int32'), depth), 'float32'));
}
