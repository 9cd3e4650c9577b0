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

/**
 * A kernel that draws exactly `tf.randomNormal`'s values, where the active backend has one (today
 * @trientropy/backend-native's `native`: attrs `{ shape, mean, stdDev, seed }`, no inputs): tfjs-core draws them in
 * a JavaScript loop, ~0.35 ms for a VAE's [512, 20] noise. Named here rather than imported, because backends sit
 * at the edge and nothing depends on them.
 */
const RANDOM_NORMAL_KERNEL = 'TrientropyRandomNormal';

/**
 * `tf.randomNormal(shape, mean, stdDev, 'float32', seed)` with the seed mapped by {@link tfjsSeed}, drawn by the
 * backend's {@link RANDOM_NORMAL_KERNEL} where it has one (the same values bit for bit).
 */
export function seededRandomNormal(shape: number[], seed: number, mean = 0, stdDev = 1): tf.Tensor {
  const mapped = tfjsSeed(seed);
  if (tf.getKernel(RANDOM_NORMAL_KERNEL, tf.getBackend()) !== undefined) {
    return tf.engine().runKernel(RANDOM_NORMAL_KERNEL, {}, { shape: [...shape], mean, stdDev, seed: mapped }) as tf.Tensor;
  }
  return tf.randomNormal(shape, mean, stdDev, 'float32', mapped);
}

/** `tf.randomUniform(shape, low, high, 'float32', seed)` with the seed mapped by {@link tfjsSeed}. */
export function seededRandomUniform(shape: number[], seed: number, low = 0, high = 1): tf.Tensor {
  return tf.randomUniform(shape, low, high, 'float32', tfjsSeed(seed));
}
