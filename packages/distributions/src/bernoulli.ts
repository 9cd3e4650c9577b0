import * as tf from '@tensorflow/tfjs-core';
import { Distribution, type DistributionOptions } from './distribution.js';
import { type BinaryParameter, type LogitsOrProbs, mulZeroSafe, resolveBinaryParameter } from './logits-or-probs.js';
import { broadcastShapes, toFloatTensor } from './tensor-checks.js';
import { seededRandomUniform } from './seeded-random-ops.js';
import { fillWhere, outsideInterval, replaceWhere } from './support.js';

/**
 * Bernoulli distribution on {0, 1}, element-wise over a batch, from `{ logits }` (log-odds η) or `{ probs }` (p).
 *
 * Mathematical details:
 * - `logProb(x) = x log p + (1 − x) log(1 − p)`; from logits `x·η − softplus(η)`, with `log p = −softplus(−η)`
 *   and `log(1 − p) = −softplus(η)`, so nothing underflows for p ≪ 1e-7. For x ∈ [0, 1] this is the negative
 *   binary cross-entropy that a VAE's Bernoulli decoder uses on grey-level data (it is then not a normalised
 *   density: see {@link ContinuousBernoulli}). Outside [0, 1] logProb is −∞.
 * - `entropy = −p log p − (1 − p) log(1 − p)` (0·log 0 = 0), `mean = p`, `variance = p(1 − p)`.
 * - No reparameterised sampler: `rsample` throws; use `RelaxedBernoulli` or `ContinuousBernoulli` for that.
 */
export class Bernoulli extends Distribution {
  readonly batchShape: number[];
  readonly eventShape: number[] = [];
  readonly hasRsample = false;
  private readonly parameter: BinaryParameter;

  constructor(parameters: LogitsOrProbs, options: DistributionOptions = {}) {
    super();
    this.parameter = resolveBinaryParameter(parameters, options.validateArgs ?? true, 'closed');
    this.batchShape = this.parameter.probs.shape;
  }

  /** Log-odds `η = log(p/(1 − p))` (±∞ where constructed with p = 0 or 1). */
  get logits(): tf.Tensor {
    return this.parameter.logits;
  }

  /** `p = P(X = 1)`. */
  get probs(): tf.Tensor {
    return this.parameter.probs;
  }

  /** `1 − p`, accurate also for p near 1 when constructed from logits. */
  get complement(): tf.Tensor {
    return this.parameter.complement;
  }

  /** `log p` and `log(1 − p)`, exact for either parametrisation. */
  logProbs(): { logP: tf.Tensor; log1mP: tf.Tensor } {
    return { logP: this.parameter.logP, log1mP: this.parameter.log1mP };
  }

  logProb(value: tf.Tensor): tf.Tensor {
    const x = toFloatTensor(value, 'value');
    return tf.tidy(() => {
      // Values in (0, 1) are the grey-level relaxation above; outside [0, 1] is outside the support.
      const outside = outsideInterval(x, 0, 1);
      const xIn = replaceWhere(outside, x, 0);
      return fillWhere(outside, tf.add(mulZeroSafe(xIn, this.parameter.logP), mulZeroSafe(tf.sub(1, xIn), this.parameter.log1mP)), -Infinity);
    });
  }

  entropy(): tf.Tensor {
    return tf.tidy(() => {
      const { probs, complement, logP, log1mP } = this.parameter;
      return tf.neg(tf.add(mulZeroSafe(probs, logP), mulZeroSafe(complement, log1mP)));
    });
  }

  mean(): tf.Tensor {
    return tf.clone(this.parameter.probs);
  }

  /** `p(1 − p)`, computed as `exp(log p + log(1 − p))` so it stays accurate for p near 1. */
  variance(): tf.Tensor {
    return tf.tidy(() => tf.exp(tf.add(this.parameter.logP, this.parameter.log1mP)));
  }

  /** 1 where p > ½, else 0 (ties at p = ½ give 0). */
  override mode(): tf.Tensor {
    return tf.tidy(() => tf.cast(tf.greater(this.parameter.probs, 0.5), 'float32'));
  }

  /** `P(X ≤ x)`: 0 for x < 0, 1 − p for 0 ≤ x < 1, 1 for x ≥ 1. */
  override cdf(value: tf.Tensor): tf.Tensor {
    const x = toFloatTensor(value, 'value');
    return tf.tidy(() => {
      const oneMinusP = tf.exp(this.parameter.log1mP);
      const shape = broadcastShapes(x.shape, oneMinusP.shape, 'value', 'probs');
      const xb = tf.broadcastTo(x, shape);
      return tf.where(tf.greaterEqual(xb, 1), tf.ones(shape), tf.where(tf.greaterEqual(xb, 0), tf.broadcastTo(oneMinusP, shape), tf.zeros(shape)));
    });
  }

  /** Draws 1 with probability p (as float32 0/1), by comparing uniform noise with p. */
  protected override sampleImpl(sampleShape: number[], seed: number): tf.Tensor {
    return tf.tidy(() => {
      const u = seededRandomUniform([...sampleShape, ...this.batchShape], seed);
      return tf.cast(tf.less(u, this.parameter.probs), 'float32');
    });
  }
}

/**
 * `KL(Bern(p) ‖ Bern(q)) = p(log p − log q) + (1 − p)(log(1 − p) − log(1 − q))`, element-wise, with 0·log 0 = 0
 * (and +∞ where p puts mass where q has none). Uses the exact log-probabilities of both.
 */
export function klBernoulliBernoulli(p: Bernoulli, q: Bernoulli): tf.Tensor {
  return tf.tidy(() => {
    const lp = p.logProbs();
    const lq = q.logProbs();
    const one = mulZeroSafe(p.probs, tf.sub(lp.logP, lq.logP));
    const zero = mulZeroSafe(p.complement, tf.sub(lp.log1mP, lq.log1mP));
    return tf.add(one, zero);
  });
}
