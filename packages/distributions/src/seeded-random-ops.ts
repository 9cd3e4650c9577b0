import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, describeValue } from './errors.js';

/**
 * The seed value to hand to a tfjs random op for the integer `seed`.
 *
 * tfjs-core treats a falsy seed as "no seed" (`seed ? seed : Math.random()` in `randomNormal`, `randomGamma`
 * and `multinomial`), so seed 0 would give different draws on every call; otherwise it seeds its generator
 * with `String(seed)`. Every integer keeps its own value, except 0, which becomes 0.5: a non-integer, so no
 * integer seed (or one derived by `deriveSeed`) reaches the same string. The map is therefore one-to-one on the
 * integers, and every integer seed — 0, negatives and large values included — gives the same draws on every
 * call and on every backend (these ops run in tfjs-core's JavaScript, not in a backend kernel). Every call of a
 * tfjs random op in trientropy goes through this function; `tf.multinomial` is avoided (its wasm kernel truncates
 * the seed), categorical draws use Gumbel-max on {@link seededRandomUniform}.
 */
export function tfjsSeed(seed: number, argument = 'seed'): number {
  if (!Number.isInteger(seed)) throw new InvalidArgumentError(argument, 'an integer', describeValue(seed));
  return seed === 0 ? 0.5 : seed;
}

/** `tf.randomNormal(shape, mean, stdDev, 'float32', seed)` with the seed mapped by {@link tfjsSeed}. */
export function seededRandomNormal(shape: number[], seed: number, mean = 0, stdDev = 1): tf.Tensor {
  return tf.randomNormal(shape, mean, stdDev, 'float32', tfjsSeed(seed));
}

/** `tf.randomUniform(shape, low, high, 'float32', seed)` with the seed mapped by {@link tfjsSeed}. */
export function seededRandomUniform(shape: number[], seed: number, low = 0, high = 1): tf.Tensor {
  return tf.randomUniform(shape, low, high, 'float32', tfjsSeed(seed));
}
