import * as tf from '@tensorflow/tfjs-core';
import { Distribution, type DistributionOptions } from './distribution.js';
import { InvalidArgumentError } from './errors.js';
import { logMultivariateBeta } from './log-beta.js';
import { mulZeroSafe } from './logits-or-probs.js';
import { digammaDifference } from './special/digamma-difference.js';
import { rsampleStandardGamma } from './standard-gamma-sampler.js';
import { fillWhere, logAtZero, offSimplex, replaceWhere } from './support.js';
import { type TensorLike, assertAllElements, toFloatTensor } from './tensor-checks.js';

/**
 * Dirichlet distribution on the simplex of the last axis of `concentration` (event shape `[K]`).
 *
 * Mathematical details, α₀ = Σₖ αₖ:
 * - `logProb(x) = Σₖ (αₖ − 1) log xₖ − log B(α)`, `log B(α) = Σₖ lnΓ(αₖ) − lnΓ(α₀)`; −∞ off the closed simplex
 *   (a coordinate outside [0, 1], or |Σx − 1| > 1e-5·K). On its faces (xₖ = 0) the density's limit, 0·log 0 = 0:
 *   +∞ where some xₖ = 0 has αₖ < 1, −∞ where some has αₖ > 1; NaN where both happen (no limit exists there)
 * - `entropy = log B(α) + (α₀ − K)ψ(α₀) − Σₖ (αₖ − 1)ψ(αₖ)`
 * - `mean = α/α₀`, `variance = αₖ(α₀ − αₖ)/(α₀²(α₀ + 1))` (the covariance diagonal), `mode = (αₖ − 1)/(α₀ − K)`
 *   where every αₖ > 1 (NaN elsewhere)
 * - `rsample = G/ΣG`, Gₖ ~ Gamma(αₖ, 1) with implicit reparameterisation gradients (see `Gamma`).
 */
export class Dirichlet extends Distribution {
  readonly concentration: tf.Tensor;
  readonly batchShape: number[];
  readonly eventShape: number[];
  readonly hasRsample = true;

  constructor(concentration: TensorLike, options: DistributionOptions = {}) {
    super();
    this.concentration = toFloatTensor(concentration, 'concentration');
    if (this.concentration.rank < 1 || (this.concentration.shape[this.concentration.rank - 1] as number) < 2) {
      throw new InvalidArgumentError('concentration', 'a tensor of rank ≥ 1 with at least 2 categories on the last axis', `shape [${this.concentration.shape.join(',')}]`);
    }
    if (options.validateArgs ?? true) {
      assertAllElements(this.concentration, 'concentration', 'finite values > 0', (v) => v > 0 && Number.isFinite(v));
    }
    this.batchShape = this.concentration.shape.slice(0, -1);
    this.eventShape = this.concentration.shape.slice(-1);
  }

  logProb(value: tf.Tensor): tf.Tensor {
    const x = toFloatTensor(value, 'value');
    return tf.tidy(() => {
      const k = this.eventShape[0] as number;
      const outside = offSimplex(x, false);
      const xIn = replaceWhere(tf.expandDims(outside, -1), x, 1 / k);
      const body = tf.sum(mulZeroSafe(tf.sub(this.concentration, 1), logAtZero(xIn)), -1);
      return fillWhere(outside, tf.sub(body, logMultivariateBeta(this.concentration)), -Infinity);
    });
  }

  entropy(): tf.Tensor {
    return tf.tidy(() => {
      // (α₀ − K)ψ(α₀) − Σ(αₖ − 1)ψ(αₖ) = −Σₖ (αₖ − 1)(ψ(αₖ) − ψ(α₀)), with accurate ψ differences.
      const total = tf.sum(this.concentration, -1, true);
      const spread = tf.sum(tf.mul(tf.sub(this.concentration, 1), digammaDifference(this.concentration, total)), -1);
      return tf.sub(logMultivariateBeta(this.concentration), spread);
    });
  }

  mean(): tf.Tensor {
    return tf.tidy(() => tf.div(this.concentration, tf.sum(this.concentration, -1, true)));
  }

  variance(): tf.Tensor {
    return tf.tidy(() => {
      const total = tf.sum(this.concentration, -1, true);
      return tf.div(tf.mul(this.concentration, tf.sub(total, this.concentration)), tf.mul(tf.square(total), tf.add(total, 1)));
    });
  }

  override mode(): tf.Tensor {
    return tf.tidy(() => {
      const k = this.eventShape[0] as number;
      const m = tf.div(tf.sub(this.concentration, 1), tf.sub(tf.sum(this.concentration, -1, true), k));
      const valid = tf.all(tf.greater(this.concentration, 1), -1, true);
      return tf.where(tf.broadcastTo(valid, m.shape), m, tf.fill(m.shape, NaN));
    });
  }

  protected override rsampleImpl(sampleShape: number[], seed: number): tf.Tensor {
    return tf.tidy(() => {
      const g = rsampleStandardGamma(this.concentration, sampleShape, seed);
      return tf.div(g, tf.sum(g, -1, true));
    });
  }
}

/**
 * `KL(Dir(α) ‖ Dir(β)) = lnΓ(α₀) − Σ lnΓ(αₖ) − lnΓ(β₀) + Σ lnΓ(βₖ) + Σₖ (αₖ − βₖ)(ψ(αₖ) − ψ(α₀))`.
 */
export function klDirichletDirichlet(p: Dirichlet, q: Dirichlet): tf.Tensor {
  if (p.eventShape[0] !== q.eventShape[0]) {
    throw new InvalidArgumentError('q', `${p.eventShape[0]} categories like p`, `${q.eventShape[0]}`);
  }
  return tf.tidy(() => {
    const a = p.concentration;
    const b = q.concentration;
    const a0 = tf.sum(a, -1, true);
    const cross = tf.sum(tf.mul(tf.sub(a, b), digammaDifference(a, a0)), -1);
    return tf.add(tf.sub(logMultivariateBeta(b), logMultivariateBeta(a)), cross);
  });
}
