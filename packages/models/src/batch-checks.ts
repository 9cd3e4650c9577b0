import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@trientropy/distributions';

/** Checks that `x` is a float32 matrix with `cols` columns; returns it typed as 2-D. */
export function checkBatch(x: tf.Tensor, cols: number, argument = 'x'): tf.Tensor2D {
  if (!(x instanceof tf.Tensor)) throw new InvalidArgumentError(argument, 'a tf.Tensor', typeof x);
  if (x.rank !== 2 || x.shape[1] !== cols) {
    throw new InvalidArgumentError(argument, `shape [batch, ${cols}]`, `[${x.shape.join(', ')}]`);
  }
  if (x.dtype !== 'float32') throw new InvalidArgumentError(argument, 'dtype float32', `dtype ${x.dtype}`);
  if (x.shape[0] === 0) throw new InvalidArgumentError(argument, 'at least one row', '0 rows');
  return x as tf.Tensor2D;
}

/**
 * {@link checkBatch}, and that every entry of `x` is finite (one device read: use it at public entry points,
 * never inside a training step).
 */
export function checkFiniteBatch(x: tf.Tensor, cols: number, argument = 'x'): tf.Tensor2D {
  const batch = checkBatch(x, cols, argument);
  const finite = tf.tidy(() => tf.all(tf.isFinite(batch)));
  const ok = finite.dataSync()[0] === 1;
  finite.dispose();
  if (!ok) throw new InvalidArgumentError(argument, 'finite values', 'NaN or ±Infinity entries');
  return batch;
}
