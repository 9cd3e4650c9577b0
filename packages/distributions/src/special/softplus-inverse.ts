import * as tf from '@tensorflow/tfjs-core';
import { logExpm1 } from './log1mexp.js';

/**
 * Inverse of {@link softplus}: `log(eʸ − 1)` for y > 0, element-wise, differentiable. Accurate both for tiny y
 * (≈ log y) and large y (≈ y, where `eʸ` overflows float32 beyond 88). Used to map a positive parameter to an
 * unconstrained one.
 */
export function softplusInverse(y: tf.Tensor): tf.Tensor {
  return logExpm1(y);
}
