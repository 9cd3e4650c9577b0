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
