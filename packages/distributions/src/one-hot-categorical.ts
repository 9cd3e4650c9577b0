import * as tf from '@tensorflow/tfjs-core';
import { oneHotFloat } from './one-hot.js';
import { type CategoricalParameter, type CategoricalParameters, resolveCategoricalParameter } from './categorical-parameter.js';
import { sampleCategories, sumPLogP } from './categorical.js';
import { Distribution, type DistributionOptions } from './distribution.js';
import { InvalidArgumentError } from './errors.js';
import { mulZeroSafe } from './logits-or-probs.js';
import { detachedMask, fillWhere, replaceWhere } from './support.js';
import { toFloatTensor } from './tensor-checks.js';

/**
 * One-hot categorical distribution: a categorical whose draws are one-hot vectors, event shape `[K]`.
 *
 * Mathematical details: `logProb(x) = Σₖ xₖ log pₖ` for one-hot x (−∞ for any other vector), `entropy = −Σ pₖ log pₖ`, `mean = p`,
 * `variance = p ⊙ (1 − p)` (the diagonal of the covariance), `mode = onehot(argmax p)`. Given logits, 1 − p of
 * the one category with p > ½ is the sum of the other probabilities: the softmax rounds p to 1 once
 * p > 1 − 6e-8, where the variance is still e.g. 2.8e-13 for logits [0, −28.9]. Given probs, 1 − p is exact.
 */
export class OneHotCategorical extends Distribution {
  readonly batchShape: number[];
  readonly eventShape: number[];
  readonly hasRsample = false;
  private readonly parameter: CategoricalParameter;

  constructor(parameters: CategoricalParameters, options: DistributionOptions = {}) {
    super();
    this.parameter = resolveCategoricalParameter(parameters, options.validateArgs ?? true);
    this.batchShape = this.parameter.probs.shape.slice(0, -1);
    this.eventShape = [this.parameter.numCategories];
  }

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
    const x = toFloatTensor(value, 'value');
    return tf.tidy(() => {
      // −∞ unless x is a one-hot vector (entries 0 or 1, exactly one 1); a row with NaN stays NaN.
      const outside = detachedMask([x], (v) => {
        const notBinary = tf.any(tf.logicalAnd(tf.notEqual(v, 0), tf.notEqual(v, 1)), -1);
        const hasNaN = tf.any(tf.isNaN(v), -1);
        return tf.logicalAnd(tf.logicalOr(notBinary, tf.notEqual(tf.sum(v, -1), 1)), tf.logicalNot(hasNaN));
      });
      const xIn = replaceWhere(tf.expandDims(outside, -1), x, 0);
      return fillWhere(outside, tf.sum(mulZeroSafe(xIn, this.parameter.logProbs), -1), -Infinity);
    });
  }

  entropy(): tf.Tensor {
    return tf.tidy(() => tf.neg(sumPLogP(this.parameter.probs, this.parameter.logProbs)));
  }

  mean(): tf.Tensor {
    return tf.clone(this.parameter.probs);
  }

  variance(): tf.Tensor {
    return tf.tidy(() => {
      const probs = this.parameter.probs;
      if (!this.parameter.fromLogits) return tf.mul(probs, tf.sub(1, probs)); // exact for p ≥ ½ (Sterbenz)
      // p > ½ (the next float32 above ½; greaterEqual because tfjs registers no gradient for Greater): at most one.
      const dominant = tf.greaterEqual(probs, 0.5 + 2 ** -24);
      const othersOfDominant = tf.sum(tf.where(dominant, tf.zerosLike(probs), probs), -1, true);
      return tf.mul(probs, tf.where(dominant, tf.broadcastTo(othersOfDominant, probs.shape), tf.sub(1, probs)));
    });
  }

  override mode(): tf.Tensor {
    return tf.tidy(() => oneHotFloat(tf.argMax(this.parameter.logProbs, -1), this.numCategories));
  }

  protected override sampleImpl(sampleShape: number[], seed: number): tf.Tensor {
    return tf.tidy(() => oneHotFloat(sampleCategories(this.parameter.logProbs, sampleShape, seed), this.numCategories));
  }
}

/** `KL(p ‖ q) = Σₖ pₖ (log pₖ − log qₖ)`, as for `Categorical`. */
export function klOneHotCategoricalOneHotCategorical(p: OneHotCategorical, q: OneHotCategorical): tf.Tensor {
  if (p.numCategories !== q.numCategories) {
    throw new InvalidArgumentError('q', `${p.numCategories} categories like p`, `${q.numCategories}`);
  }
  return tf.tidy(() => tf.sum(mulZeroSafe(p.probs, tf.sub(p.logProbs, q.logProbs)), -1));
}
