import * as tf from '@tensorflow/tfjs-core';
import { oneHotFloat } from './one-hot.js';
import { log1p } from './special/log1p.js';
import { Bernoulli } from './bernoulli.js';
import { Beta } from './beta.js';
import { Categorical } from './categorical.js';
import { ContinuousBernoulli } from './continuous-bernoulli.js';
import { Dirichlet } from './dirichlet.js';
import { Distribution } from './distribution.js';
import { UnsupportedMethodError } from './errors.js';
import { Gamma } from './gamma.js';
import { Independent } from './independent.js';
import { Laplace } from './laplace.js';
import { logBeta, logMultivariateBeta } from './log-beta.js';
import { Normal } from './normal.js';
import { OneHotCategorical } from './one-hot-categorical.js';
import { Poisson } from './poisson.js';
import { continuousBernoulliLogNormalizer } from './special/continuous-bernoulli-log-normalizer.js';
import { digamma } from './special/digamma.js';
import { digammaDifference } from './special/digamma-difference.js';
import { lgamma } from './special/lgamma.js';
import { logSumExp } from './special/log-sum-exp.js';
import { softplus } from './special/softplus.js';

/**
 * A distribution written as an exponential family, `p(x) = h(x)·exp(ηᵀT(x) − A(η))` (natural parameters η,
 * sufficient statistics T, log-normaliser A, base measure h). This is the form the entropy-sum results are stated
 * in (Lücke & Warnken, arXiv 2209.03077): with a constant base measure, `H = −log h − ηᵀ∇A(η) + A(η)`, and `∇A(η) = E[T(x)]`.
 *
 * Each natural parameter has shape `[...batchShape, ...statisticShape]` (statisticShape is `[K]` for categorical
 * and Dirichlet families, `[]` otherwise, plus the reinterpreted axes of an `Independent`); `ηᵀT` sums the
 * products over all parameters and those trailing axes.
 */
export interface ExponentialFamilyView {
  /** The family's name, e.g. `"Normal"`. */
  readonly family: string;
  /** log h when h is constant (the entropy-sum condition), else undefined. */
  readonly constantLogBaseMeasure: number | undefined;
  /** η, one tensor per natural parameter. */
  naturalParameters(): tf.Tensor[];
  /** T(x), one tensor per natural parameter, shape `[...sampleShape, ...batchShape, ...statisticShape]`. */
  sufficientStatistics(value: tf.Tensor): tf.Tensor[];
  /** A(η) per batch member; pass η to evaluate (and differentiate) it elsewhere. */
  logNormalizer(naturalParameters?: tf.Tensor[]): tf.Tensor;
  /** `E[T(x)] = ∇A(η)`, in closed form. */
  expectedSufficientStatistics(): tf.Tensor[];
  /** `log h(x)`, shape `[...sampleShape, ...batchShape]`. */
  logBaseMeasure(value: tf.Tensor): tf.Tensor;
  /** `log h(x) + ηᵀT(x) − A(η)`: equals the distribution's `logProb`. */
  logProb(value: tf.Tensor): tf.Tensor;
  /** `−log h − ηᵀ∇A(η) + A(η)`; throws for a non-constant base measure (Poisson). */
  entropy(): tf.Tensor;
}

interface FamilySpec {
  family: string;
  /** Trailing axes of each η / T(x) that belong to one batch member. */
  statisticRank: number;
  constantLogBaseMeasure: number | undefined;
  eta: () => tf.Tensor[];
  statistics: (x: tf.Tensor) => tf.Tensor[];
  logNormalizer: (eta: tf.Tensor[]) => tf.Tensor;
  expected: () => tf.Tensor[];
  logBaseMeasure: (x: tf.Tensor) => tf.Tensor;
}

function sumTrailing(t: tf.Tensor, n: number): tf.Tensor {
  return n === 0 ? t : tf.sum(t, Array.from({ length: n }, (_, i) => t.rank - n + i));
}

class View implements ExponentialFamilyView {
  constructor(private readonly spec: FamilySpec) {}
  get family(): string {
    return this.spec.family;
  }
  get constantLogBaseMeasure(): number | undefined {
    return this.spec.constantLogBaseMeasure;
  }
  naturalParameters(): tf.Tensor[] {
    return this.spec.eta();
  }
  sufficientStatistics(value: tf.Tensor): tf.Tensor[] {
    return this.spec.statistics(value);
  }
  logNormalizer(naturalParameters?: tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => this.spec.logNormalizer(naturalParameters ?? this.spec.eta()));
  }
  expectedSufficientStatistics(): tf.Tensor[] {
    return this.spec.expected();
  }
  logBaseMeasure(value: tf.Tensor): tf.Tensor {
    return this.spec.logBaseMeasure(value);
  }
  private dot(eta: tf.Tensor[], t: tf.Tensor[]): tf.Tensor {
    const products = eta.map((e, i) => sumTrailing(tf.mul(e, t[i] as tf.Tensor), this.spec.statisticRank));
    return products.length === 1 ? (products[0] as tf.Tensor) : tf.addN(products);
  }
  logProb(value: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const eta = this.spec.eta();
      return tf.sub(tf.add(this.spec.logBaseMeasure(value), this.dot(eta, this.spec.statistics(value))), this.spec.logNormalizer(eta));
    });
  }
  entropy(): tf.Tensor {
    const logH = this.spec.constantLogBaseMeasure;
    if (logH === undefined) {
      throw new UnsupportedMethodError(`ExponentialFamilyView(${this.spec.family})`, 'entropy', 'the base measure is not constant, so H ≠ −log h − ηᵀ∇A + A; use the distribution’s own entropy()');
    }
    return tf.tidy(() => {
      const eta = this.spec.eta();
      return tf.sub(tf.sub(this.spec.logNormalizer(eta), this.dot(eta, this.spec.expected())), logH);
    });
  }
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

function normalSpec(d: Normal): FamilySpec {
  return {
    family: 'Normal',
    statisticRank: 0,
    constantLogBaseMeasure: -HALF_LOG_2PI,
    // η = (μ/σ², −1/(2σ²)), T = (x, x²), A = −η₁²/(4η₂) − ½ log(−2η₂) = μ²/(2σ²) + log σ.
    eta: () => tf.tidy(() => {
      const precision = tf.broadcastTo(tf.reciprocal(tf.square(d.scale)), d.batchShape);
      return [tf.mul(d.loc, precision), tf.mul(precision, -0.5)];
    }),
    statistics: (x) => [tf.clone(x), tf.square(x)],
    logNormalizer: ([e1, e2]) => tf.sub(tf.div(tf.square(e1 as tf.Tensor), tf.mul(e2 as tf.Tensor, -4)), tf.mul(tf.log(tf.mul(e2 as tf.Tensor, -2)), 0.5)),
    expected: () => tf.tidy(() => [d.mean(), tf.add(tf.square(d.mean()), d.variance())]),
    logBaseMeasure: (x) => tf.fill(x.shape, -HALF_LOG_2PI),
  };
}

function binarySpec(family: string, logits: tf.Tensor, mean: () => tf.Tensor, logNormalizer: (eta: tf.Tensor) => tf.Tensor): FamilySpec {
  return {
    family,
    statisticRank: 0,
    constantLogBaseMeasure: 0,
    eta: () => [tf.clone(logits)],
    statistics: (x) => [tf.clone(x)],
    logNormalizer: ([eta]) => logNormalizer(eta as tf.Tensor),
    expected: () => [mean()],
    logBaseMeasure: (x) => tf.zeros(x.shape),
  };
}

function categoricalSpec(family: string, logProbs: tf.Tensor, probs: tf.Tensor, oneHot: (x: tf.Tensor) => tf.Tensor): FamilySpec {
  return {
    family,
    statisticRank: 1,
    constantLogBaseMeasure: 0,
    // η = log p (normalised, so A = 0 at η; A(η) = logSumExp(η) in general); T = one-hot(x).
    eta: () => [tf.clone(logProbs)],
    statistics: (x) => [oneHot(x)],
    logNormalizer: ([eta]) => logSumExp(eta as tf.Tensor, -1),
    expected: () => [tf.clone(probs)],
    logBaseMeasure: (x) => tf.zeros(oneHot(x).shape.slice(0, -1)),
  };
}

function specOf(d: Distribution): FamilySpec {
  if (d instanceof Normal) return normalSpec(d);
  if (d instanceof Bernoulli) return binarySpec('Bernoulli', d.logits, () => d.mean(), (eta) => softplus(eta));
  if (d instanceof ContinuousBernoulli) {
    // A(η) = log ∫₀¹ e^{ηx} dx = softplus(η) − log C(η) (log(1 − λ) = −softplus(η) in logProb).
    return binarySpec('ContinuousBernoulli', d.logits, () => d.mean(), (eta) => tf.sub(softplus(eta), continuousBernoulliLogNormalizer(eta)));
  }
  if (d instanceof Categorical) {
    const k = d.numCategories;
    return categoricalSpec('Categorical', d.logProbs, d.probs, (x) => oneHotFloat(x, k));
  }
  if (d instanceof OneHotCategorical) return categoricalSpec('OneHotCategorical', d.logProbs, d.probs, (x) => tf.clone(x));
  if (d instanceof Poisson) {
    return {
      family: 'Poisson',
      statisticRank: 0,
      constantLogBaseMeasure: undefined, // h(k) = 1/k!
      eta: () => [tf.log(d.rate)],
      statistics: (x) => [tf.cast(x, 'float32')],
      logNormalizer: ([eta]) => tf.exp(eta as tf.Tensor),
      expected: () => [tf.clone(d.rate)],
      logBaseMeasure: (x) => tf.neg(lgamma(tf.add(tf.cast(x, 'float32'), 1))),
    };
  }
  if (d instanceof Gamma) {
    return {
      family: 'Gamma',
      statisticRank: 0,
      constantLogBaseMeasure: 0,
      // η = (α − 1, −β), T = (log x, x), A = lnΓ(η₁ + 1) − (η₁ + 1) log(−η₂).
      eta: () => tf.tidy(() => [tf.broadcastTo(tf.sub(d.concentration, 1), d.batchShape), tf.broadcastTo(tf.neg(d.rate), d.batchShape)]),
      statistics: (x) => [tf.log(x), tf.clone(x)],
      logNormalizer: ([e1, e2]) => {
        const alpha = tf.add(e1 as tf.Tensor, 1);
        return tf.sub(lgamma(alpha), tf.mul(alpha, tf.log(tf.neg(e2 as tf.Tensor))));
      },
      expected: () => tf.tidy(() => [tf.broadcastTo(tf.sub(digamma(d.concentration), tf.log(d.rate)), d.batchShape), d.mean()]),
      logBaseMeasure: (x) => tf.zeros(x.shape),
    };
  }
  if (d instanceof Beta) {
    return {
      family: 'Beta',
      statisticRank: 0,
      constantLogBaseMeasure: 0,
      // η = (α − 1, β − 1), T = (log x, log(1 − x)), A = log B(η₁ + 1, η₂ + 1).
      eta: () => tf.tidy(() => [tf.broadcastTo(tf.sub(d.concentration1, 1), d.batchShape), tf.broadcastTo(tf.sub(d.concentration0, 1), d.batchShape)]),
      statistics: (x) => [tf.log(x), log1p(tf.neg(x))],
      logNormalizer: ([e1, e2]) => logBeta(tf.add(e1 as tf.Tensor, 1), tf.add(e2 as tf.Tensor, 1)),
      expected: () =>
        tf.tidy(() => {
          const total = tf.add(d.concentration1, d.concentration0);
          return [
            tf.broadcastTo(digammaDifference(d.concentration1, total), d.batchShape),
            tf.broadcastTo(digammaDifference(d.concentration0, total), d.batchShape),
          ];
        }),
      logBaseMeasure: (x) => tf.zeros(x.shape),
    };
  }
  if (d instanceof Dirichlet) {
    return {
      family: 'Dirichlet',
      statisticRank: 1,
      constantLogBaseMeasure: 0,
      eta: () => [tf.sub(d.concentration, 1)],
      statistics: (x) => [tf.log(x)],
      logNormalizer: ([eta]) => logMultivariateBeta(tf.add(eta as tf.Tensor, 1)),
      expected: () => [digammaDifference(d.concentration, tf.sum(d.concentration, -1, true))],
      logBaseMeasure: (x) => tf.zeros(x.shape.slice(0, -1)),
    };
  }
  if (d instanceof Laplace) {
    return {
      family: 'Laplace (known location)',
      statisticRank: 0,
      constantLogBaseMeasure: 0,
      // With the location held fixed: η = −1/b, T = |x − μ|, A = log(2b) = log(−2/η).
      eta: () => [tf.broadcastTo(tf.neg(tf.reciprocal(d.scale)), d.batchShape)],
      statistics: (x) => [tf.abs(tf.sub(x, d.loc))],
      logNormalizer: ([eta]) => tf.log(tf.div(-2, eta as tf.Tensor)),
      expected: () => [tf.broadcastTo(tf.clone(d.scale), d.batchShape)],
      logBaseMeasure: (x) => tf.tidy(() => tf.zerosLike(tf.sub(x, tf.broadcastTo(d.loc, d.batchShape)))),
    };
  }
  if (d instanceof Independent) {
    const base = specOf(d.base);
    const n = d.reinterpretedBatchNdims;
    return {
      ...base,
      family: `Independent(${base.family}, ${n})`,
      statisticRank: base.statisticRank + n,
      constantLogBaseMeasure: base.constantLogBaseMeasure === undefined ? undefined : base.constantLogBaseMeasure * d.base.batchShape.slice(d.base.batchShape.length - n).reduce((a: number, b: number) => a * b, 1),
      logNormalizer: (eta) => sumTrailing(base.logNormalizer(eta), n),
      logBaseMeasure: (x) => sumTrailing(base.logBaseMeasure(x), n),
    };
  }
  throw new UnsupportedMethodError(d.constructor.name, 'exponentialFamily', 'it has no exponential-family view (supported: Normal, Bernoulli, ContinuousBernoulli, Categorical, OneHotCategorical, Poisson, Gamma, Beta, Dirichlet, Laplace with known location, and Independent of these)');
}

/**
 * The exponential-family view of `d` (natural parameters, sufficient statistics, log-normaliser, base measure,
 * and the entropy from them), for Normal, Bernoulli, ContinuousBernoulli, Categorical, OneHotCategorical,
 * Poisson, Gamma, Beta, Dirichlet, Laplace (location held fixed) and Independent/MultivariateNormalDiag of these.
 * Throws `UnsupportedMethodError` for other distributions.
 */
export function exponentialFamily(d: Distribution): ExponentialFamilyView {
  return new View(specOf(d));
}
