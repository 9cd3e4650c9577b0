import * as tf from '@tensorflow/tfjs-core';
import { Distribution } from './distribution.js';
import { InvalidArgumentError, UnsupportedMethodError, describeValue } from './errors.js';

/** The last `n` axes of a tensor of rank ≥ n, as an axis list for reductions. */
function lastAxes(rank: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => rank - n + i);
}

/**
 * Reinterprets the rightmost `reinterpretedBatchNdims` batch dimensions of `base` as event dimensions: the
 * members along them become one joint distribution of independent components (TFP's `Independent`).
 *
 * Mathematical details: `logProb(x) = Σ_event base.logProb(x)`, `entropy = Σ_event base.entropy()`;
 * mean, variance, mode and samples are the base's (only the shapes are read differently).
 */
export class Independent<D extends Distribution = Distribution> extends Distribution {
  readonly base: D;
  readonly reinterpretedBatchNdims: number;
  readonly batchShape: number[];
  readonly eventShape: number[];
  readonly hasRsample: boolean;

  constructor(base: D, reinterpretedBatchNdims = 1) {
    super();
    if (!Number.isInteger(reinterpretedBatchNdims) || reinterpretedBatchNdims < 0 || reinterpretedBatchNdims > base.batchShape.length) {
      throw new InvalidArgumentError(
        'reinterpretedBatchNdims',
        `an integer in [0, ${base.batchShape.length}] (the base's batch rank, batchShape [${base.batchShape.join(',')}])`,
        describeValue(reinterpretedBatchNdims),
      );
    }
    this.base = base;
    this.reinterpretedBatchNdims = reinterpretedBatchNdims;
    const split = base.batchShape.length - reinterpretedBatchNdims;
    this.batchShape = base.batchShape.slice(0, split);
    this.eventShape = [...base.batchShape.slice(split), ...base.eventShape];
    this.hasRsample = base.hasRsample;
  }

  /** Sums a per-base-member tensor (trailing shape = base batch shape) over the reinterpreted axes. */
  sumReinterpreted(perMember: tf.Tensor): tf.Tensor {
    if (this.reinterpretedBatchNdims === 0) return perMember;
    return tf.sum(perMember, lastAxes(perMember.rank, this.reinterpretedBatchNdims));
  }

  logProb(value: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.sumReinterpreted(this.base.logProb(value)));
  }

  entropy(): tf.Tensor {
    return tf.tidy(() => this.sumReinterpreted(this.base.entropy()));
  }

  mean(): tf.Tensor {
    return this.base.mean();
  }

  variance(): tf.Tensor {
    return this.base.variance();
  }

  override stddev(): tf.Tensor {
    return this.base.stddev();
  }

  override mode(): tf.Tensor {
    return this.base.mode();
  }

  override cdf(_value: tf.Tensor): tf.Tensor {
    throw new UnsupportedMethodError(this.constructor.name, 'cdf', 'a joint cdf of independent components is not implemented; use base.cdf per component');
  }

  protected override rsampleImpl(sampleShape: number[], seed: number): tf.Tensor {
    return this.base.rsample(sampleShape, seed);
  }

  protected override sampleImpl(sampleShape: number[], seed: number): tf.Tensor {
    return this.base.sample(sampleShape, seed);
  }
}

/**
 * `KL(Independent(p) ‖ Independent(q)) = Σ_event KL(p ‖ q)`, when both reinterpret the same number of axes and a
 * closed form for the bases is registered (looked up through `klDivergence`).
 */
export function klIndependentIndependent(
  p: Independent,
  q: Independent,
  baseKl: (p: Distribution, q: Distribution) => tf.Tensor,
): tf.Tensor {
  if (p.reinterpretedBatchNdims !== q.reinterpretedBatchNdims || p.eventShape.join(',') !== q.eventShape.join(',')) {
    throw new InvalidArgumentError(
      'q',
      `an Independent with the event shape [${p.eventShape.join(',')}] of p (${p.reinterpretedBatchNdims} reinterpreted axes)`,
      `event shape [${q.eventShape.join(',')}] (${q.reinterpretedBatchNdims} reinterpreted axes)`,
    );
  }
  return tf.tidy(() => p.sumReinterpreted(baseKl(p.base, q.base)));
}
