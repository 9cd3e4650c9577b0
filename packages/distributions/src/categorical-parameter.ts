import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, describeValue } from './errors.js';
import { logSumExp } from './special/log-sum-exp.js';
import { stopGradient } from './stop-gradient.js';
import { type TensorLike, toFloatTensor } from './tensor-checks.js';

/** Exactly one of `logits` (unnormalised log-probabilities) or `probs` (non-negative, summing to 1), last axis = categories. */
export type CategoricalParameters = { logits: TensorLike; probs?: undefined } | { probs: TensorLike; logits?: undefined };

/** Normalised log-probabilities and probabilities over the last axis. */
export interface CategoricalParameter {
  /** `log pₖ`, normalised (`logits − logSumExp(logits)`, or `log probs`; −∞ for zero-probability categories). */
  logProbs: tf.Tensor;
  probs: tf.Tensor;
  /** Number of categories K. */
  numCategories: number;
  /** Whether the distribution was given logits (probs then come from a softmax and may round to 1). */
  fromLogits: boolean;
}

/** Resolves and validates categorical parameters (rank ≥ 1, K ≥ 1; probs sum to 1 within 1e-5). */
export function resolveCategoricalParameter(parameters: CategoricalParameters, validateArgs: boolean): CategoricalParameter {
  const hasLogits = parameters.logits !== undefined;
  if (hasLogits === (parameters.probs !== undefined)) {
    throw new InvalidArgumentError('logits/probs', 'exactly one of { logits } or { probs }', hasLogits ? 'both' : 'neither');
  }
  const name = hasLogits ? 'logits' : 'probs';
  const t = toFloatTensor((parameters.logits ?? parameters.probs) as TensorLike, name);
  if (t.rank < 1 || (t.shape[t.rank - 1] as number) < 1) {
    throw new InvalidArgumentError(name, 'a tensor of rank ≥ 1 whose last axis (the categories) is non-empty', `shape [${t.shape.join(',')}]`);
  }
  const numCategories = t.shape[t.rank - 1] as number;
  if (validateArgs) {
    const values = t.dataSync();
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      const ok = hasLogits ? v < Infinity && !Number.isNaN(v) : v >= 0 && v <= 1;
      if (!ok) throw new InvalidArgumentError(name, hasLogits ? 'values < +Infinity (−Infinity masks a category)' : 'values in [0, 1]', `${describeValue(v)} at flat index ${i}`);
    }
    if (hasLogits) {
      for (let row = 0; row < values.length / numCategories; row++) {
        const slice = values.subarray(row * numCategories, (row + 1) * numCategories);
        if (slice.every((v) => v === -Infinity)) throw new InvalidArgumentError(name, 'at least one finite logit per row', `all −Infinity in row ${row}`);
      }
    } else {
      for (let row = 0; row < values.length / numCategories; row++) {
        let sum = 0;
        for (let k = 0; k < numCategories; k++) sum += values[row * numCategories + k] as number;
        if (Math.abs(sum - 1) > 1e-5) throw new InvalidArgumentError(name, 'rows summing to 1 (within 1e-5)', `sum ${sum} in row ${row}`);
      }
    }
  }
  if (hasLogits) {
    // Shift by the row maximum first: for logits like [1e4, 1e4 − 1] the difference is exact, whereas
    // `logits − logSumExp(logits)` subtracts two numbers near 1e4 whose float32 spacing is 1e-3.
    // The result does not depend on the shift, so no gradient flows through it.
    const rowMax = stopGradient(tf.max(tf.where(tf.isFinite(t), t, tf.fill(t.shape, -3e38)), -1, true));
    const shifted = tf.sub(t, rowMax);
    const logProbs = tf.sub(shifted, logSumExp(shifted, -1, true));
    return { logProbs, probs: tf.exp(logProbs), numCategories, fromLogits: true };
  }
  return { logProbs: tf.log(t), probs: t, numCategories, fromLogits: false };
}
