import * as tf from '@tensorflow/tfjs-core';
import { type CategoricalParameter, type CategoricalParameters, resolveCategoricalParameter } from './categorical-parameter.js';
import { Distribution, type DistributionOptions } from './distribution.js';
import { UnsupportedMethodError } from './errors.js';
import { lgamma } from './special/lgamma.js';
import { logSumExp } from './special/log-sum-exp.js';
import { type TensorLike, assertAllElements, toFloatTensor } from './tensor-checks.js';
import { seededRandomUniform } from './seeded-random-ops.js';
import { fillWhere, offSimplex, replaceWhere } from './support.js';

/**
 * Relaxed one-hot categorical (Concrete / Gumbel-softmax, Maddison et al. 2017; Jang et al. 2017) on the
 * probability simplex of the last axis, temperature τ > 0 (a scalar or of the batch shape). Event shape `[K]`.
 *
 * Mathematical details, π the category probabilities:
 * - `logProb(y) = lnΓ(K) + (K − 1) log τ + Σₖ (log πₖ − (τ + 1) log yₖ) − K·logSumExp_k(log πₖ − τ log yₖ)`
 *   (density with respect to Lebesgue measure on the first K − 1 coordinates) on the open simplex; −∞ elsewhere
 *   (a coordinate ≤ 0 or ≥ 1, or |Σy − 1| > 1e-5·K; samples never reach the boundary, see below)
 * - `rsample = softmax((log π + G)/τ)`, Gₖ = −log(−log uₖ) Gumbel noise; computed as a log-softmax and floored at
 *   2⁻¹²⁶ so that logProb stays finite when low temperatures saturate float32.
 * - mean, variance and entropy have no closed form: those methods throw.
 */
export class RelaxedOneHotCategorical extends Distribution {
  readonly temperature: tf.Tensor;
  readonly batchShape: number[];
  readonly eventShape: number[];
  readonly hasRsample = true;
  private readonly parameter: CategoricalParameter;

  constructor(temperature: TensorLike, parameters: CategoricalParameters, options: DistributionOptions = {}) {
    super();
    const validate = options.validateArgs ?? true;
    this.temperature = toFloatTensor(temperature, 'temperature');
    if (validate) assertAllElements(this.temperature, 'temperature', 'finite values > 0', (v) => v > 0 && Number.isFinite(v));
    this.parameter = resolveCategoricalParameter(parameters, validate);
    this.batchShape = this.parameter.probs.shape.slice(0, -1);
    this.eventShape = [this.parameter.numCategories];
  }

  get logProbs(): tf.Tensor {
    return this.parameter.logProbs;
  }

  /** τ with a trailing axis, broadcasting against `[..., K]`. */
  private temperatureForEvent(): tf.Tensor {
    return tf.expandDims(this.temperature, -1);
  }

  logProb(value: tf.Tensor): tf.Tensor {
    const y = toFloatTensor(value, 'value');
    return tf.tidy(() => {
      const k = this.parameter.numCategories;
      const tau = this.temperature;
      const outside = offSimplex(y, true);
      const logY = tf.log(replaceWhere(tf.expandDims(outside, -1), y, 1 / k));
      const body = tf.sum(tf.sub(this.parameter.logProbs, tf.mul(tf.add(this.temperatureForEvent(), 1), logY)), -1);
      const normaliser = tf.mul(logSumExp(tf.sub(this.parameter.logProbs, tf.mul(this.temperatureForEvent(), logY)), -1), k);
      const constant = tf.add(lgamma(tf.scalar(k)), tf.mul(tf.log(tau), k - 1));
      return fillWhere(outside, tf.sub(tf.add(body, constant), normaliser), -Infinity);
    });
  }

  entropy(): tf.Tensor {
    throw new UnsupportedMethodError('RelaxedOneHotCategorical', 'entropy', 'it has no closed form; estimate −mean(logProb(rsample(...))) explicitly');
  }

  mean(): tf.Tensor {
    throw new UnsupportedMethodError('RelaxedOneHotCategorical', 'mean', 'it has no closed form; estimate it from samples');
  }

  variance(): tf.Tensor {
    throw new UnsupportedMethodError('RelaxedOneHotCategorical', 'variance', 'it has no closed form; estimate it from samples');
  }

  protected override rsampleImpl(sampleShape: number[], seed: number): tf.Tensor {
    return tf.tidy(() => {
      const shape = [...sampleShape, ...this.batchShape, this.parameter.numCategories];
      const u = seededRandomUniform(shape, seed, 2 ** -24, 1 - 2 ** -24);
      const gumbel = tf.neg(tf.log(tf.neg(tf.log(u))));
      const scores = tf.div(tf.add(this.parameter.logProbs, gumbel), this.temperatureForEvent());
      return tf.maximum(tf.exp(tf.logSoftmax(scores, -1)), 2 ** -126);
    });
  }
}
