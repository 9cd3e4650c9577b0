import * as tf from '@tensorflow/tfjs-core';
import { log1p } from './special/log1p.js';

// The rule every distribution follows for values outside its support (see the package README, "Support"):
// `logProb` is −Infinity there (`prob` 0), `cdf` is 0 below and 1 above the support, and NaN comes out only for a
// NaN input. The formulas are evaluated at a safe in-support stand-in wherever the value is outside, so neither the
// value nor any gradient picks up a NaN from the discarded branch (its gradient is exactly 0).

/**
 * A boolean mask `predicate(...inputs)` that is invisible to the gradient tape. tfjs registers no gradient for
 * Less, Greater, Equal, LogicalAnd or LogicalOr, so a mask built from them on a differentiated value would make
 * `tf.grad` throw; inside a custom-gradient op the comparisons are not recorded, and the mask's gradient is 0.
 */
export function detachedMask(inputs: tf.Tensor[], predicate: (...inputs: tf.Tensor[]) => tf.Tensor): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const tensors = args.slice(0, inputs.length) as tf.Tensor[];
    return {
      value: tf.tidy(() => tf.cast(predicate(...tensors), 'float32')),
      gradFunc: () => tensors.map((t) => tf.zerosLike(t)),
    };
  });
  return tf.tidy(() => tf.cast(op(...inputs), 'bool'));
}

/** `x` where `replace` is false, the constant `stand-in` where it is true (no gradient reaches x there). */
export function replaceWhere(replace: tf.Tensor, x: tf.Tensor, standIn: number): tf.Tensor {
  return tf.where(replace, tf.fill(x.shape, standIn), x);
}

/** `value` where `outside` is false and `fill` (−Infinity for a log-density) where it is true, broadcasting both. */
export function fillWhere(outside: tf.Tensor, value: tf.Tensor, fill: number): tf.Tensor {
  const shape = tf.broadcast_util.assertAndGetBroadcastShape(outside.shape, value.shape);
  return tf.where(tf.broadcastTo(outside, shape), tf.fill(shape, fill), tf.broadcastTo(value, shape));
}

/** `x < low || x > high` (NaN is inside: it propagates), detached from the tape. */
export function outsideInterval(x: tf.Tensor, low: number, high: number): tf.Tensor {
  return detachedMask([x], (v) => tf.logicalOr(tf.less(v, low), tf.greater(v, high)));
}

/** `log x` with `log 0 = −∞` and a zero (not NaN) gradient at x = 0, for x ≥ 0. */
export function logAtZero(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const zero = tf.greaterEqual(0, x);
    return tf.where(zero, tf.fill(x.shape, -Infinity), tf.log(replaceWhere(zero, x, 1)));
  });
}

/** `log(1 − x)` with `log 0 = −∞` and a zero (not NaN) gradient at x = 1, for x ≤ 1. */
export function log1mAtOne(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const one = tf.greaterEqual(x, 1);
    return tf.where(one, tf.fill(x.shape, -Infinity), log1p(tf.neg(replaceWhere(one, x, 0))));
  });
}

/**
 * Largest accepted `|Σₖ xₖ − 1|` of a point on the simplex, per category: float32 normalisation of K values is off
 * by up to about K·6e-8, so 1e-5·K accepts every normalised float32 vector and rejects points clearly off the simplex.
 */
export const SIMPLEX_TOLERANCE_PER_CATEGORY = 1e-5;

/**
 * Per row of the last axis: a coordinate outside `[low, high]` (open at the ends where `open` is set) or a sum
 * further than {@link SIMPLEX_TOLERANCE_PER_CATEGORY}·K from 1. A row containing NaN is not flagged (it propagates).
 */
export function offSimplex(x: tf.Tensor, open: boolean): tf.Tensor {
  return detachedMask([x], (v) => {
    const k = v.shape[v.rank - 1] as number;
    const coordinate = open ? tf.logicalOr(tf.lessEqual(v, 0), tf.greaterEqual(v, 1)) : tf.logicalOr(tf.less(v, 0), tf.greater(v, 1));
    const sumOff = tf.greater(tf.abs(tf.sub(tf.sum(v, -1), 1)), SIMPLEX_TOLERANCE_PER_CATEGORY * k);
    return tf.logicalOr(tf.any(coordinate, -1), sumOff);
  });
}

/** Whether each value is NaN (detached from the tape). */
export function isNaNMask(x: tf.Tensor): tf.Tensor {
  return detachedMask([x], (v) => tf.isNaN(v));
}

/** A count outside {0, 1, 2, …} (negative, fractional or infinite) or ≥ `end`; NaN is not flagged. */
export function notACount(k: tf.Tensor, end = Infinity): tf.Tensor {
  return detachedMask([k], (v) => {
    const fractional = tf.logicalAnd(tf.notEqual(v, tf.floor(v)), tf.logicalNot(tf.isNaN(v)));
    return tf.logicalOr(tf.logicalOr(tf.less(v, 0), tf.greaterEqual(v, end)), tf.logicalOr(tf.equal(v, Infinity), fractional));
  });
}

/** Largest accepted deviation of ‖x‖ from 1 for a point on the unit sphere (as for a von Mises–Fisher `loc`). */
export const UNIT_NORM_TOLERANCE = 1e-4;

/** Per row of the last axis: `|‖x‖ − 1| > UNIT_NORM_TOLERANCE` (off the unit sphere); NaN rows are not flagged. */
export function offUnitSphere(x: tf.Tensor): tf.Tensor {
  return detachedMask([x], (v) => tf.greater(tf.abs(tf.sub(tf.sqrt(tf.sum(tf.square(v), -1)), 1)), UNIT_NORM_TOLERANCE));
}
