import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, describeValue } from './errors.js';

/** A tensor or a plain number, converted to a float32 tensor at the boundary. */
export type TensorLike = tf.Tensor | number;

/** Converts a parameter to a float32 tensor, rejecting other dtypes with an error naming the argument. */
export function toFloatTensor(value: TensorLike, argument: string): tf.Tensor {
  if (typeof value === 'number') return tf.scalar(value, 'float32');
  if (!(value instanceof tf.Tensor)) throw new InvalidArgumentError(argument, 'a tf.Tensor or a number', describeValue(value));
  if (value.dtype !== 'float32') throw new InvalidArgumentError(argument, 'dtype float32', `dtype ${value.dtype}`);
  return value;
}

/** The broadcast shape of two shapes, or an error naming both arguments when they do not broadcast. */
export function broadcastShapes(a: readonly number[], b: readonly number[], argumentA: string, argumentB: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new InvalidArgumentError(`${argumentA}/${argumentB}`, 'shapes that broadcast', `[${a.join(',')}] and [${b.join(',')}]`);
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/**
 * Reads a tensor once and checks every element with `predicate`; used by opt-out argument validation.
 * This synchronises with the backend, so hot loops construct distributions with `validateArgs: false`.
 */
export function assertAllElements(tensor: tf.Tensor, argument: string, expected: string, predicate: (v: number) => boolean): void {
  const values = tensor.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!predicate(v)) {
      const where = tensor.rank === 0 ? '' : ` at flat index ${i}`;
      throw new InvalidArgumentError(argument, expected, `${describeValue(v)}${where}`);
    }
  }
}

/**
 * Most values one draw may hold (2^28 float32 values, 1 GiB). Beyond it tfjs fails deep inside with
 * "Invalid typed array length" or runs out of memory after a long allocation.
 */
export const MAX_SAMPLE_VALUES = 2 ** 28;

/**
 * Checks a sample shape: a list of non-negative integers; with `drawShape` (the batch and event shape), also
 * that a draw of `[...shape, ...drawShape]` holds at most {@link MAX_SAMPLE_VALUES} values.
 */
export function assertSampleShape(shape: readonly number[], argument: string, drawShape: readonly number[] = []): void {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new InvalidArgumentError(argument, 'an array of non-negative integers', describeValue(shape));
  }
  const size = [...shape, ...drawShape].reduce((product, d) => product * d, 1);
  if (size > MAX_SAMPLE_VALUES) {
    throw new InvalidArgumentError(argument, `a draw of at most ${MAX_SAMPLE_VALUES} values (sample shape × batch and event shape [${drawShape.join(', ')}])`, `[${shape.join(', ')}], ${size.toExponential(2)} values`);
  }
}

/**
 * Checks a seed: a safe integer (|seed| ≤ 2⁵³ − 1, where every integer has its own float64). Randomness is
 * always explicit in this library; every accepted seed, 0 and negatives included, gives its own draws.
 */
export function assertSeed(seed: number, argument = 'seed'): void {
  if (!Number.isSafeInteger(seed)) throw new InvalidArgumentError(argument, 'a safe integer (|seed| ≤ 2^53 − 1)', describeValue(seed));
}
