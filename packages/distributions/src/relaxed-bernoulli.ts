import * as tf from '@tensorflow/tfjs-core';
import { log1p } from './special/log1p.js';
import { Distribution, type DistributionOptions } from './distribution.js';
import { UnsupportedMethodError } from './errors.js';
import { type BinaryParameter, type LogitsOrProbs, resolveBinaryParameter } from './logits-or-probs.js';
import { softplus } from './special/softplus.js';
import { type TensorLike, assertAllElements, broadcastShapes, toFloatTensor } from './tensor-checks.js';
import { seededRandomUniform } from './seeded-random-ops.js';
import { detachedMask, fillWhere, replaceWhere } from './support.js';

/** Samples are kept inside [2⁻¹²⁶, 1 − 2⁻²⁴] so that logProb stays finite at low temperatures. */
const LOWEST = 2 ** -126;
const HIGHEST = 1 - 2 ** -24;

/** `y ≤ 0 || y ≥ 1`, detached from the tape: the Concrete's support is the open interval. */
function outsideOpenUnitInterval(y: tf.Tensor): tf.Tensor {
  return detachedMask([y], (v) => tf.logicalOr(tf.lessEqual(v, 0), tf.greaterEqual(v, 1)));
}

/** `log(eᵃ + eᵇ)`, finite when one side is −∞. */
export function logAddExp(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.add(tf.maximum(a, b), softplus(tf.neg(tf.abs(tf.sub(a, b)))));
}

/**
 * Relaxed Bernoulli (binary Concrete / Gumbel-softmax, Maddison et al. 2017; Jang et al. 2017) on (0, 1) with
 * temperature τ > 0 and `{ logits }` η or `{ probs }`: `Y = σ((η + L)/τ)`, L ~ Logistic(0, 1). As τ → 0 it
 * approaches Bernoulli(σ(η)); it is reparameterised for every τ.
 *
 * Mathematical details:
 * - `logProb(y) = log τ + η − (τ + 1)(log y + log(1 − y)) − 2·log(e^{η − τ log y} + e^{−τ log(1 − y)})`
 *   on the open support (0, 1), −∞ at and beyond its ends (samples never reach them: see the clamp below)
 * - `cdf(y) = σ(τ·logit(y) − η)` (0 for y ≤ 0, 1 for y ≥ 1)
 * - `rsample = σ((η + log u − log(1 − u))/τ)`, u ~ U(0, 1), clamped to [2⁻¹²⁶, 1 − 2⁻²⁴] (float32 saturates at
 *   low temperature; the clamp keeps logProb finite).
 * - mean, variance and entropy have no closed form: those methods throw.
 */
export class RelaxedBernoulli extends Distribution {
  readonly temperature: tf.Tensor;
  readonly batchShape: number[];
  readonly eventShape: number[] = [];
  readonly hasRsample = true;
  private readonly parameter: BinaryParameter;

  constructor(temperature: TensorLike, parameters: LogitsOrProbs, options: DistributionOptions = {}) {
    super();
    const validate = options.validateArgs ?? true;
    this.temperature = toFloatTensor(temperature, 'temperature');
    if (validate) assertAllElements(this.temperature, 'temperature', 'finite values > 0', (v) => v > 0 && Number.isFinite(v));
    this.parameter = resolveBinaryParameter(parameters, validate, 'open');
    this.batchShape = broadcastShapes(this.temperature.shape, this.parameter.logits.shape, 'temperature', parameters.logits === undefined ? 'probs' : 'logits');
  }

  get logits(): tf.Tensor {
    return this.parameter.logits;
  }

  get probs(): tf.Tensor {
    return this.parameter.probs;
  }

  logProb(value: tf.Tensor): tf.Tensor {
    const y = toFloatTensor(value, 'value');
    return tf.tidy(() => {
      const tau = this.temperature;
      const eta = this.parameter.logits;
      const outside = outsideOpenUnitInterval(y);
      const yIn = replaceWhere(outside, y, 0.5);
      const logY = tf.log(yIn);
      const log1mY = log1p(tf.neg(yIn));
      const denominator = logAddExp(tf.sub(eta, tf.mul(tau, logY)), tf.neg(tf.mul(tau, log1mY)));
      const inside = tf.sub(tf.sub(tf.add(tf.log(tau), eta), tf.mul(tf.add(tau, 1), tf.add(logY, log1mY))), tf.mul(denominator, 2));
      return fillWhere(outside, inside, -Infinity);
    });
  }

  override cdf(value: tf.Tensor): tf.Tensor {
    const y = toFloatTensor(value, 'value');
    return tf.tidy(() => {
      const below = detachedMask([y], (v) => tf.lessEqual(v, 0));
      const above = detachedMask([y], (v) => tf.greaterEqual(v, 1));
      const yIn = replaceWhere(outsideOpenUnitInterval(y), y, 0.5);
      const inside = tf.sigmoid(tf.sub(tf.mul(this.temperature, tf.sub(tf.log(yIn), log1p(tf.neg(yIn)))), this.parameter.logits));
      return fillWhere(above, fillWhere(below, inside, 0), 1);
    });
  }

  entropy(): tf.Tensor {
    throw new UnsupportedMethodError('RelaxedBernoulli', 'entropy', 'it has no closed form; estimate −mean(logProb(rsample(...))) explicitly');
  }

  mean(): tf.Tensor {
    throw new UnsupportedMethodError('RelaxedBernoulli', 'mean', 'it has no closed form; estimate it from samples');
  }

  variance(): tf.Tensor {
    throw new UnsupportedMethodError('RelaxedBernoulli', 'variance', 'it has no closed form; estimate it from samples');
  }

  protected override rsampleImpl(sampleShape: number[], seed: number): tf.Tensor {
    return tf.tidy(() => {
      const u = seededRandomUniform([...sampleShape, ...this.batchShape], seed, 2 ** -24, 1 - 2 ** -24);
      const logistic = tf.sub(tf.log(u), log1p(tf.neg(u)));
      const y = tf.sigmoid(tf.div(tf.add(this.parameter.logits, logistic), this.temperature));
      return tf.clipByValue(y, LOWEST, HIGHEST);
    });
  }
}
