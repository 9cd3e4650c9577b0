import * as tf from '@tensorflow/tfjs-core';
import { oneHotFloat } from './one-hot.js';
import { type CategoricalParameter, type CategoricalParameters, resolveCategoricalParameter } from './categorical-parameter.js';
import { Distribution, type DistributionOptions } from './distribution.js';
import { InvalidArgumentError, UnsupportedMethodError } from './errors.js';
import { mulZeroSafe } from './logits-or-probs.js';
import { seededRandomUniform } from './seeded-random-ops.js';
import { fillWhere, isNaNMask, notACount, replaceWhere } from './support.js';

/**
 * Draws category indices `[...sampleShape, ...batchShape]` (int32) from normalised log-probabilities
 * `[...batchShape, K]` by the Gumbel-max trick, `argmax_k(log pₖ + Gₖ)` with `Gₖ = −log(−log U)`. The uniforms come
 * from tfjs-core's seeded generator, which is the same on every backend; `tf.multinomial` is not used because
 * its wasm kernel truncates the seed to 32 bits (seeds 0 and 2³² gave the same draws) and its cpu kernel treats
 * seed 0 as "no seed".
 */
export function sampleCategories(logProbs: tf.Tensor, sampleShape: number[], seed: number): tf.Tensor {
  return tf.tidy(() => {
    const k = logProbs.shape[logProbs.rank - 1] as number;
    const batchShape = logProbs.shape.slice(0, -1);
    const n = sampleShape.reduce((a, b) => a * b, 1);
    const rows = batchShape.reduce((a, b) => a * b, 1);
    if (n === 0 || rows === 0) return tf.zeros([...sampleShape, ...batchShape], 'int32');
    // −∞ (a zero-probability category) becomes a very negative number, which no Gumbel draw lifts to the max.
    const logits = tf.reshape(tf.maximum(logProbs, -1e30), [1, rows, k]);
    // U ∈ [2⁻²⁴, 1 − 2⁻²⁴]: G ∈ [−2.8, 16.6], so the truncated Gumbel tails hold < 1e-7 of the mass.
    const u = seededRandomUniform([n, rows, k], seed, 2 ** -24, 1 - 2 ** -24);
    const gumbel = tf.neg(tf.log(tf.neg(tf.log(u))));
    const draws = tf.argMax(tf.add(logits, gumbel), -1); // [n, rows]
    return tf.reshape(draws, [...sampleShape, ...batchShape]);
  });
}

/** Negative entropy summand: `Σₖ pₖ log pₖ` with 0·log 0 = 0. */
export function sumPLogP(probs: tf.Tensor, logProbs: tf.Tensor): tf.Tensor {
  return tf.sum(mulZeroSafe(probs, logProbs), -1);
}

/**
 * Categorical distribution over {0, …, K − 1} (the last axis of `logits`/`probs`), event shape `[]`.
 *
 * Mathematical details: `logProb(k) = log pₖ` (logits normalised by log-sum-exp), `entropy = −Σ pₖ log pₖ`
 * (0·log 0 = 0); −∞ for a value that is not an index 0…K − 1. Samples are int32 indices; `logProb` accepts int32 or
 * float32 indices. The categories are
 * labels, so `mean`/`variance` throw (use `probs`, or `OneHotCategorical` whose mean is the probability vector);
 * `mode` is the argmax. No reparameterised sampler: see `RelaxedOneHotCategorical`.
 */
export class Categorical extends Distribution {
  readonly batchShape: number[];
  readonly eventShape: number[] = [];
  readonly hasRsample = false;
  protected readonly parameter: CategoricalParameter;

  constructor(parameters: CategoricalParameters, options: DistributionOptions = {}) {
    super();
    this.parameter = resolveCategoricalParameter(parameters, options.validateArgs ?? true);
    this.batchShape = this.parameter.probs.shape.slice(0, -1);
  }

  /** Normalised log-probabilities, shape `[...batchShape, K]`. */
  get logProbs(): tf.Tensor {
    return this.parameter.logProbs;
  }

  get probs(): tf.Tensor {
    return this.parameter.probs;
  }

  get numCategories(): number {
    return this.parameter.numCategories;
  }

  logProb(value: tf.Tensor): tf.Tensor {
    if (!(value instanceof tf.Tensor) || (value.dtype !== 'int32' && value.dtype !== 'float32')) {
      throw new InvalidArgumentError('value', 'an int32 or float32 tensor of category indices', value instanceof tf.Tensor ? `dtype ${value.dtype}` : typeof value);
    }
    return tf.tidy(() => {
      // −∞ for anything but an index 0…K − 1 (negative, fractional, too large); NaN stays NaN.
      const k = tf.cast(value, 'float32');
      const outside = notACount(k, this.numCategories);
      const nan = isNaNMask(k);
      // One-hot selection (not gather) broadcasts indices of shape [...sample, ...batch] against [...batch, K].
      const oneHot = oneHotFloat(replaceWhere(nan, replaceWhere(outside, k, 0), 0), this.numCategories);
      return fillWhere(nan, fillWhere(outside, tf.sum(mulZeroSafe(oneHot, this.parameter.logProbs), -1), -Infinity), NaN);
    });
  }

  entropy(): tf.Tensor {
    return tf.tidy(() => tf.neg(sumPLogP(this.parameter.probs, this.parameter.logProbs)));
  }

  mean(): tf.Tensor {
    throw new UnsupportedMethodError('Categorical', 'mean', 'categories are labels; use probs, or OneHotCategorical (mean = probs)');
  }

  variance(): tf.Tensor {
    throw new UnsupportedMethodError('Categorical', 'variance', 'categories are labels; use OneHotCategorical (variance = p(1 − p))');
  }

  /** The most probable category (the first on ties), int32. */
  override mode(): tf.Tensor {
    return tf.argMax(this.parameter.logProbs, -1);
  }

  protected override sampleImpl(sampleShape: number[], seed: number): tf.Tensor {
    return sampleCategories(this.parameter.logProbs, sampleShape, seed);
  }
}

/** `KL(p ‖ q) = Σₖ pₖ (log pₖ − log qₖ)` over the categories (0·log 0 = 0; +∞ where q has no mass). */
export function klCategoricalCategorical(p: Categorical, q: Categorical): tf.Tensor {
  if (p.numCategories !== q.numCategories) {
    throw new InvalidArgumentError('q', `${p.numCategories} categories like p`, `${q.numCategories}`);
  }
  return tf.tidy(() => tf.sum(mulZeroSafe(p.probs, tf.sub(p.logProbs, q.logProbs)), -1));
}
