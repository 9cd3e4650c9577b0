import * as tf from '@tensorflow/tfjs-core';
import { log1p } from './special/log1p.js';
import { Distribution, type DistributionOptions } from './distribution.js';
import { type BinaryParameter, type LogitsOrProbs, resolveBinaryParameter } from './logits-or-probs.js';
import { continuousBernoulliLogNormalizer } from './special/continuous-bernoulli-log-normalizer.js';
import { polynomial } from './special/gamma-argument-reduction.js';
import { softplus } from './special/softplus.js';
import { broadcastShapes, toFloatTensor } from './tensor-checks.js';
import { seededRandomUniform } from './seeded-random-ops.js';
import { fillWhere, outsideInterval, replaceWhere } from './support.js';

// Every quantity is a function of the logits η. The textbook forms in λ are 0/0 at λ = ½ (η = 0) and cancel
// near it, so each quantity switches to its Taylor series in η below a threshold where the closed form has
// lost at most ~1e-6 relative, and the series (truncated as below) is exact to < 1e-9.
// Every `tf.where` sees branch inputs clamped to where that branch is finite (no NaN through gradients), and
// masks use greaterEqual only (tfjs has no gradient for Less/LessEqual/Equal).

/** mean − ½ = η/12 − η³/720 + η⁵/30240 − η⁷/1209600 + η⁹/47900160 (|η| < 1). */
const MEAN_SERIES = [1 / 12, -1 / 720, 1 / 30240, -1 / 1209600, 1 / 47900160];
/** variance = 1/12 − η²/240 + η⁴/6048 − η⁶/172800 + η⁸/5322240 (|η| < 1). */
const VARIANCE_SERIES = [1 / 12, -1 / 240, 1 / 6048, -1 / 172800, 1 / 5322240];
/** entropy = Σ cₖ η²ᵏ (|η| < 2), the Taylor series of 1 + log1p(e^{−a}) − a/expm1(a) − log C(a). */
const ENTROPY_SERIES = [
  0, -1 / 24, 1 / 960, -1 / 36288, 1 / 1382400, -1 / 53222400, 691 / 1426553856000, -1 / 80472268800,
  3617 / 11381997699072000, -43867 / 5409629171122176000,
];

/**
 * icdf(u) = Σₖ ηᵏ Pₖ(u): coefficients of Pₖ in powers of u (k = 0…8), from the series of log1p(u·expm1(η))/η.
 * |Pₖ| ≤ 0.125, 0.016, 5.2e-3, 1.1e-3, 3.5e-4, 8.1e-5, 2.6e-5, 6.6e-6, (2.1e-6 for k = 9) on [0, 1].
 */
const ICDF_SERIES: number[][] = [
  [0, 1],
  [0, 1 / 2, -1 / 2],
  [0, 1 / 6, -1 / 2, 1 / 3],
  [0, 1 / 24, -7 / 24, 1 / 2, -1 / 4],
  [0, 1 / 120, -1 / 8, 5 / 12, -1 / 2, 1 / 5],
  [0, 1 / 720, -31 / 720, 1 / 4, -13 / 24, 1 / 2, -1 / 6],
  [0, 1 / 5040, -1 / 80, 43 / 360, -5 / 12, 2 / 3, -1 / 2, 1 / 7],
  [0, 1 / 40320, -127 / 40320, 23 / 480, -81 / 320, 5 / 8, -19 / 24, 1 / 2, -1 / 8],
  [0, 1 / 362880, -17 / 24192, 605 / 36288, -37 / 288, 331 / 720, -7 / 8, 11 / 12, -1 / 2, 1 / 9],
];

/** Splits |η| at `threshold`: the mask of |η| ≥ threshold and η clamped for each branch. */
function split(eta: tf.Tensor, threshold: number, exactFallback = threshold): { exact: tf.Tensor; etaExact: tf.Tensor; etaSeries: tf.Tensor } {
  const exact = tf.greaterEqual(tf.abs(eta), threshold);
  return {
    exact,
    etaExact: tf.where(exact, eta, tf.fill(eta.shape, exactFallback)),
    etaSeries: tf.where(exact, tf.zerosLike(eta), eta),
  };
}

/** `log(eᵃ + eᵇ)`, finite when one side is −∞. */
function logAddExp(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.add(tf.maximum(a, b), softplus(tf.neg(tf.abs(tf.sub(a, b)))));
}

/**
 * Continuous Bernoulli distribution on [0, 1] (Loaiza-Ganem & Cunningham 2019), the normalised counterpart of
 * the Bernoulli likelihood that VAEs use on grey-level data: `p(x | λ) = C(λ)·λˣ(1 − λ)^{1−x}`.
 *
 * Mathematical details, in logits η = log(λ/(1 − λ)) (see {@link continuousBernoulliLogNormalizer}):
 * - `logProb(x) = x·η − softplus(η) + log C(η)`, `C(η) = η/tanh(η/2)` (= 2 at η = 0); −∞ outside [0, 1]
 * - `mean = 1/(1 − e^{−η}) − 1/η`, `variance = 1/η² − 1/(4 sinh²(η/2))` (½ and 1/12 at η = 0)
 * - `entropy = 1 + log1p(e^{−a}) − a/expm1(a) − log C(a)`, a = |η| (it is even in η)
 * - `cdf(x) = expm1(η x)/expm1(η)`, and `rsample` inverts it: `x = log1p(u·expm1(η))/η`, u ~ U(0, 1)
 *   (log-add-exp forms for |η| ≥ 1, so nothing overflows).
 * Each has a Taylor series near η = 0 (λ = ½), where the closed forms are 0/0.
 *
 * Parameters: `{ logits }` (finite) or `{ probs }` in the open interval (0, 1).
 */
export class ContinuousBernoulli extends Distribution {
  readonly batchShape: number[];
  readonly eventShape: number[] = [];
  readonly hasRsample = true;
  private readonly parameter: BinaryParameter;

  constructor(parameters: LogitsOrProbs, options: DistributionOptions = {}) {
    super();
    this.parameter = resolveBinaryParameter(parameters, options.validateArgs ?? true, 'open');
    this.batchShape = this.parameter.logits.shape;
  }

  /** The logits η = log(λ/(1 − λ)). */
  get logits(): tf.Tensor {
    return this.parameter.logits;
  }

  /** The shape parameter λ (not the mean). */
  get probs(): tf.Tensor {
    return this.parameter.probs;
  }

  /** `log λ` and `log(1 − λ)`, exact for either parametrisation. */
  logProbs(): { logP: tf.Tensor; log1mP: tf.Tensor } {
    return { logP: this.parameter.logP, log1mP: this.parameter.log1mP };
  }

  /** `log C(η)`, the log-normaliser. */
  logNormalizer(): tf.Tensor {
    return continuousBernoulliLogNormalizer(this.parameter.logits);
  }

  logProb(value: tf.Tensor): tf.Tensor {
    const x = toFloatTensor(value, 'value');
    return tf.tidy(() => {
      const { logits, log1mP } = this.parameter;
      const outside = outsideInterval(x, 0, 1);
      // x log λ + (1 − x) log(1 − λ) = x·η + log(1 − λ), with log(1 − λ) = −softplus(η) kept exact.
      const inside = tf.add(tf.add(tf.mul(replaceWhere(outside, x, 0.5), logits), log1mP), this.logNormalizer());
      return fillWhere(outside, inside, -Infinity);
    });
  }

  entropy(): tf.Tensor {
    return tf.tidy(() => {
      const { exact, etaExact, etaSeries } = split(this.parameter.logits, 2);
      const a = tf.abs(etaExact);
      const closed = tf.sub(
        tf.sub(tf.add(1, softplus(tf.neg(a))), tf.div(a, tf.expm1(a))),
        continuousBernoulliLogNormalizer(a),
      );
      const series = polynomial(tf.square(etaSeries), ENTROPY_SERIES);
      return tf.where(exact, closed, series);
    });
  }

  mean(): tf.Tensor {
    return tf.tidy(() => {
      const { exact, etaExact, etaSeries } = split(this.parameter.logits, 1);
      const closed = tf.sub(tf.neg(tf.reciprocal(tf.expm1(tf.neg(etaExact)))), tf.reciprocal(etaExact));
      const series = tf.add(0.5, tf.mul(etaSeries, polynomial(tf.square(etaSeries), MEAN_SERIES)));
      return tf.where(exact, closed, series);
    });
  }

  variance(): tf.Tensor {
    return tf.tidy(() => {
      const { exact, etaExact, etaSeries } = split(this.parameter.logits, 1);
      const a = tf.abs(etaExact);
      // 1/(4 sinh²(a/2)) = e^{−a}/(1 − e^{−a})², which never overflows.
      const closed = tf.sub(tf.reciprocal(tf.square(a)), tf.div(tf.exp(tf.neg(a)), tf.square(tf.expm1(tf.neg(a)))));
      const series = polynomial(tf.square(etaSeries), VARIANCE_SERIES);
      return tf.where(exact, closed, series);
    });
  }

  /** 1 where λ > ½, 0 where λ < ½, ½ at λ = ½ (the density is then uniform and every point is a mode). */
  override mode(): tf.Tensor {
    return tf.tidy(() => {
      const eta = this.parameter.logits;
      return tf.where(tf.greater(eta, 0), tf.onesLike(eta), tf.where(tf.less(eta, 0), tf.zerosLike(eta), tf.fill(eta.shape, 0.5)));
    });
  }

  /** `P(X ≤ x) = expm1(η x)/expm1(η)` for x ∈ [0, 1] (0 below, 1 above). */
  override cdf(value: tf.Tensor): tf.Tensor {
    const x0 = toFloatTensor(value, 'value');
    return tf.tidy(() => {
      const shape = broadcastShapes(x0.shape, this.batchShape, 'value', 'logits');
      const eta = tf.broadcastTo(this.parameter.logits, shape);
      const x = tf.clipByValue(tf.broadcastTo(x0, shape), 0, 1);
      const large = tf.greaterEqual(eta, 1);
      const { exact, etaExact } = split(eta, 1e-4, 0.5);
      const etaLarge = tf.where(large, eta, tf.onesLike(eta));
      const etaMid = tf.where(large, tf.fill(shape, 0.5), etaExact);
      // η ≥ 1: e^{η(x−1)}·expm1(−ηx)/expm1(−η) (no overflow); otherwise expm1(ηx)/expm1(η); |η| < 1e-4: series.
      const forLarge = tf.mul(tf.exp(tf.mul(etaLarge, tf.sub(x, 1))), tf.div(tf.expm1(tf.neg(tf.mul(etaLarge, x))), tf.expm1(tf.neg(etaLarge))));
      const forMid = tf.div(tf.expm1(tf.mul(etaMid, x)), tf.expm1(etaMid));
      const forSmall = tf.add(x, tf.mul(tf.mul(eta, 0.5), tf.mul(x, tf.sub(x, 1))));
      return tf.where(large, forLarge, tf.where(exact, forMid, forSmall));
    });
  }

  /**
   * The quantile function: the x with `cdf(x) = u`, u ∈ [0, 1]; `rsample` applies it to uniform noise.
   *
   * η ≥ 40: `1 + log(u + (1 − u)e^{−η})/η`; ½ ≤ η < 40: `log1p(u·expm1(η))/η`; η ≤ −½:
   * `log((1 − u) + u·e^{η})/η` (log-add-exp of exact `log u`, `log1p(−u)`); |η| < ½: the Taylor series
   * `Σₖ ηᵏ Pₖ(u)` to k = 8 (truncation < 1e-8). The series is used so widely because the closed forms'
   * *gradients* cancel like u/η: at |η| = 1e-4 they have only ~3 correct digits.
   */
  icdf(probability: tf.Tensor): tf.Tensor {
    const u0 = toFloatTensor(probability, 'probability');
    return tf.tidy(() => {
      const shape = broadcastShapes(u0.shape, this.batchShape, 'probability', 'logits');
      const eta = tf.broadcastTo(this.parameter.logits, shape);
      const u = tf.broadcastTo(u0, shape);
      const logU = tf.log(u);
      const log1mU = log1p(tf.neg(u));
      const huge = tf.greaterEqual(eta, 40);
      const positive = tf.greaterEqual(eta, 0.5);
      const negative = tf.greaterEqual(-0.5, eta);
      const etaHuge = tf.where(huge, eta, tf.fill(shape, 40));
      const etaPos = tf.where(huge, tf.fill(shape, 1), tf.where(positive, eta, tf.fill(shape, 1)));
      const etaNeg = tf.where(negative, eta, tf.fill(shape, -1));
      const etaSeries = tf.where(positive, tf.zerosLike(eta), tf.where(negative, tf.zerosLike(eta), eta));
      const forHuge = tf.add(1, tf.div(logAddExp(logU, tf.sub(log1mU, etaHuge)), etaHuge));
      const forPos = tf.div(log1p(tf.mul(u, tf.expm1(etaPos))), etaPos);
      const forNeg = tf.div(logAddExp(log1mU, tf.add(logU, etaNeg)), etaNeg);
      const coefficients = ICDF_SERIES.map((c) => polynomial(u, c));
      const forSeries = coefficients.reduceRight((acc, c) => tf.add(tf.mul(acc, etaSeries), c));
      return tf.where(huge, forHuge, tf.where(positive, forPos, tf.where(negative, forNeg, forSeries)));
    });
  }

  protected override rsampleImpl(sampleShape: number[], seed: number): tf.Tensor {
    return tf.tidy(() => this.icdf(seededRandomUniform([...sampleShape, ...this.batchShape], seed)));
  }
}

/**
 * `KL(CB(η₁) ‖ CB(η₂)) = (η₁ − η₂)·E₁[x] − softplus(η₁) + softplus(η₂) + log C(η₁) − log C(η₂)`, element-wise
 * (the log density is linear in x, so only the mean of p enters).
 */
export function klContinuousBernoulliContinuousBernoulli(p: ContinuousBernoulli, q: ContinuousBernoulli): tf.Tensor {
  return tf.tidy(() => {
    const linear = tf.mul(tf.sub(p.logits, q.logits), p.mean());
    // −softplus(η) = log(1 − λ), kept exact for either parametrisation.
    const partition = tf.sub(p.logProbs().log1mP, q.logProbs().log1mP);
    return tf.add(tf.add(linear, partition), tf.sub(p.logNormalizer(), q.logNormalizer()));
  });
}
