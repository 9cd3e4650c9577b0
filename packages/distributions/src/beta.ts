import * as tf from '@tensorflow/tfjs-core';
import { Distribution, type DistributionOptions } from './distribution.js';
import { logBeta } from './log-beta.js';
import { mulZeroSafe } from './logits-or-probs.js';
import { digammaDifference } from './special/digamma-difference.js';
import { rsampleStandardGamma } from './standard-gamma-sampler.js';
import { fillWhere, log1mAtOne, logAtZero, outsideInterval, replaceWhere } from './support.js';
import { type TensorLike, assertAllElements, broadcastShapes, toFloatTensor } from './tensor-checks.js';
import { deriveSeed } from './seed-derivation.js';

/**
 * Beta distribution on (0, 1) with `concentration1` α (the power on x) and `concentration0` β, element-wise.
 *
 * Mathematical details:
 * - `logProb(x) = (α − 1) log x + (β − 1) log1p(−x) − log B(α, β)`
 * - `entropy = log B(α, β) − (α − 1)ψ(α) − (β − 1)ψ(β) + (α + β − 2)ψ(α + β)`
 * - `mean = α/(α + β)`, `variance = αβ/((α + β)²(α + β + 1))`, `mode = (α − 1)/(α + β − 2)` for α, β > 1
 * - `rsample = G₁/(G₁ + G₂)`, Gᵢ ~ Gamma(·, 1) with implicit reparameterisation gradients (see `Gamma`).
 * Float32 limits: for α, β ≳ 1e3, logProb and entropy are differences of terms ~1e4 and keep ~1e-4 absolute
 * accuracy (a Loader-type saddle-point form would fix this; not implemented). No closed-form cdf here.
 */
export class Beta extends Distribution {
  readonly concentration1: tf.Tensor;
  readonly concentration0: tf.Tensor;
  readonly batchShape: number[];
  readonly eventShape: number[] = [];
  readonly hasRsample = true;

  constructor(concentration1: TensorLike, concentration0: TensorLike, options: DistributionOptions = {}) {
    super();
    this.concentration1 = toFloatTensor(concentration1, 'concentration1');
    this.concentration0 = toFloatTensor(concentration0, 'concentration0');
    this.batchShape = broadcastShapes(this.concentration1.shape, this.concentration0.shape, 'concentration1', 'concentration0');
    if (options.validateArgs ?? true) {
      assertAllElements(this.concentration1, 'concentration1', 'finite values > 0', (v) => v > 0 && Number.isFinite(v));
      assertAllElements(this.concentration0, 'concentration0', 'finite values > 0', (v) => v > 0 && Number.isFinite(v));
    }
  }

  /**
   * Support [0, 1]: −∞ outside. At x = 0 the density's limit (SciPy's values): +∞ for α < 1, `log β` for α = 1,
   * −∞ for α > 1; likewise at x = 1 with the roles of α and β swapped.
   */
  logProb(value: tf.Tensor): tf.Tensor {
    const x = toFloatTensor(value, 'value');
    return tf.tidy(() => {
      const a = this.concentration1;
      const b = this.concentration0;
      const outside = outsideInterval(x, 0, 1);
      const xIn = replaceWhere(outside, x, 0.5);
      const body = tf.add(mulZeroSafe(tf.sub(a, 1), logAtZero(xIn)), mulZeroSafe(tf.sub(b, 1), log1mAtOne(xIn)));
      return fillWhere(outside, tf.sub(body, logBeta(a, b)), -Infinity);
    });
  }

  entropy(): tf.Tensor {
    return tf.tidy(() => {
      const a = this.concentration1;
      const b = this.concentration0;
      const total = tf.add(a, b);
      // −(a − 1)(ψ(a) − ψ(a + b)) − (b − 1)(ψ(b) − ψ(a + b)): the same sum, with accurate ψ differences.
      const h = tf.sub(
        tf.sub(logBeta(a, b), tf.mul(tf.sub(a, 1), digammaDifference(a, total))),
        tf.mul(tf.sub(b, 1), digammaDifference(b, total)),
      );
      return tf.broadcastTo(h, this.batchShape);
    });
  }

  mean(): tf.Tensor {
    return tf.tidy(() => tf.broadcastTo(tf.div(this.concentration1, tf.add(this.concentration1, this.concentration0)), this.batchShape));
  }

  variance(): tf.Tensor {
    return tf.tidy(() => {
      const total = tf.add(this.concentration1, this.concentration0);
      const v = tf.div(tf.mul(this.concentration1, this.concentration0), tf.mul(tf.square(total), tf.add(total, 1)));
      return tf.broadcastTo(v, this.batchShape);
    });
  }

  /** `(α − 1)/(α + β − 2)` where α, β > 1; NaN elsewhere (the density has no interior maximum). */
  override mode(): tf.Tensor {
    return tf.tidy(() => {
      const a = this.concentration1;
      const b = this.concentration0;
      const m = tf.div(tf.sub(a, 1), tf.sub(tf.add(a, b), 2));
      const valid = tf.logicalAnd(tf.greater(a, 1), tf.greater(b, 1));
      return tf.broadcastTo(tf.where(valid, m, tf.fill(m.shape, NaN)), this.batchShape);
    });
  }

  protected override rsampleImpl(sampleShape: number[], seed: number): tf.Tensor {
    return tf.tidy(() => {
      const g1 = rsampleStandardGamma(tf.broadcastTo(this.concentration1, this.batchShape), sampleShape, seed);
      // Derived seeds 0…2 are the first Gamma's streams; the second uses 3…5.
      const g0 = rsampleStandardGamma(tf.broadcastTo(this.concentration0, this.batchShape), sampleShape, deriveSeed(seed, 3));
      // g₀ ≪ g₁ rounds the ratio to 1 (for b = 0.1 a fifth of all draws), where logProb is +∞ for b < 1:
      // keep draws in [smallest normal float32, largest float32 below 1], as torch does.
      return tf.clipByValue(tf.div(g1, tf.add(g1, g0)), 2 ** -126, 1 - 2 ** -24);
    });
  }
}

/**
 * `KL(Beta(a₁, b₁) ‖ Beta(a₂, b₂)) = log B(a₂, b₂) − log B(a₁, b₁) + (a₁ − a₂)ψ(a₁) + (b₁ − b₂)ψ(b₁)
 *  + (a₂ − a₁ + b₂ − b₁)ψ(a₁ + b₁)`.
 */
export function klBetaBeta(p: Beta, q: Beta): tf.Tensor {
  return tf.tidy(() => {
    const a1 = p.concentration1;
    const b1 = p.concentration0;
    const a2 = q.concentration1;
    const b2 = q.concentration0;
    // (a₁ − a₂)(ψ(a₁) − ψ(s₁)) + (b₁ − b₂)(ψ(b₁) − ψ(s₁)): the ψ(s₁) terms regrouped, accurate ψ differences.
    const s1 = tf.add(a1, b1);
    const t1 = tf.sub(logBeta(a2, b2), logBeta(a1, b1));
    const t2 = tf.add(tf.mul(tf.sub(a1, a2), digammaDifference(a1, s1)), tf.mul(tf.sub(b1, b2), digammaDifference(b1, s1)));
    return tf.add(t1, t2);
  });
}
