import * as tf from '@tensorflow/tfjs-core';
import { log1p } from './special/log1p.js';
import { InvalidArgumentError } from './errors.js';
import { softplus } from './special/softplus.js';
import { type TensorLike, assertAllElements, toFloatTensor } from './tensor-checks.js';

/** Exactly one of `logits` (log-odds, any real) or `probs` (probabilities). */
export type LogitsOrProbs = { logits: TensorLike; probs?: undefined } | { probs: TensorLike; logits?: undefined };

/** A binary parameter held as log-probabilities of both outcomes, exact for either parametrisation. */
export interface BinaryParameter {
  logits: tf.Tensor;
  probs: tf.Tensor;
  /** 1 − p, computed as `exp(log(1 − p))` from logits: `1 − σ(η)` has no correct digit for p > 1 − 1e-7. */
  complement: tf.Tensor;
  /** log p: `−softplus(−η)` from logits, `log p` from probs (−∞ at p = 0). */
  logP: tf.Tensor;
  /** log(1 − p): `−softplus(η)` from logits, `log1p(−p)` from probs (−∞ at p = 1). */
  log1mP: tf.Tensor;
}

/**
 * Resolves `{ logits }` or `{ probs }` into all four views. Probabilities keep their exact logs (no clamping to
 * [ε, 1 − ε]); logits never go through a probability, so `log p` stays accurate for p far below float32's ε.
 * `probsRange` says whether the endpoints 0 and 1 are valid.
 */
export function resolveBinaryParameter(
  parameters: LogitsOrProbs,
  validateArgs: boolean,
  probsRange: 'closed' | 'open',
): BinaryParameter {
  const hasLogits = parameters.logits !== undefined;
  const hasProbs = parameters.probs !== undefined;
  if (hasLogits === hasProbs) {
    throw new InvalidArgumentError('logits/probs', 'exactly one of { logits } or { probs }', hasLogits ? 'both' : 'neither');
  }
  if (parameters.logits !== undefined) {
    const logits = toFloatTensor(parameters.logits, 'logits');
    if (validateArgs) assertAllElements(logits, 'logits', 'finite values', Number.isFinite);
    const logP = tf.neg(softplus(tf.neg(logits)));
    const log1mP = tf.neg(softplus(logits));
    // exp(log p), not sigmoid: tfjs's sigmoid gradient y(1 − y) loses every digit of 1 − y for y near 1,
    // while the gradient of exp(−softplus(−η)) is p·σ(−η), accurate on both sides.
    return { logits, probs: tf.exp(logP), complement: tf.exp(log1mP), logP, log1mP };
  }
  const probs = toFloatTensor(parameters.probs as TensorLike, 'probs');
  if (validateArgs) {
    if (probsRange === 'closed') assertAllElements(probs, 'probs', 'values in [0, 1]', (v) => v >= 0 && v <= 1);
    else assertAllElements(probs, 'probs', 'values in the open interval (0, 1)', (v) => v > 0 && v < 1);
  }
  const logP = tf.log(probs);
  const log1mP = log1p(tf.neg(probs));
  return { logits: tf.sub(logP, log1mP), probs, complement: tf.sub(1, probs), logP, log1mP };
}

/**
 * `a·b` with `0·(±∞) = 0` where a = 0 (the `xlogy` convention). Only a non-finite b is replaced (by 0, where a = 0),
 * so ∂(a·b)/∂a = b stays exact wherever b is finite (e.g. ∂/∂α of (α − 1)·log x at α = 1), and no 0·∞ reaches a
 * gradient. Built from greaterEqual/abs/isFinite/where only: tfjs has no gradient for Equal or LogicalAnd.
 */
export function mulZeroSafe(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const aIsZero = tf.greaterEqual(0, tf.abs(a));
    const bSafe = tf.where(tf.isFinite(b), b, tf.where(aIsZero, tf.zerosLike(b), b));
    return tf.mul(a, bSafe);
  });
}
