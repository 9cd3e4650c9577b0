import * as tf from '@tensorflow/tfjs-core';
import { LOG_2PI } from './constants.js';
import { Distribution, type DistributionOptions } from './distribution.js';
import { InvalidArgumentError } from './errors.js';
import { choleskyColumns, logDeterminantFromCholesky, solveLowerTriangular } from './small-cholesky.js';
import { type TensorLike, assertAllElements, broadcastShapes, toFloatTensor } from './tensor-checks.js';
import { seededRandomNormal } from './seeded-random-ops.js';

/**
 * Multivariate normal with low-rank-plus-diagonal covariance `Σ = W Wᵀ + diag(D)`: loc `[..., d]`, covFactor W
 * `[..., d, r]`, covDiag D `[..., d]` (> 0). Event shape `[d]`; batch shapes must match exactly.
 *
 * Mathematical details (Woodbury / matrix determinant lemma with the capacitance `C = I_r + Wᵀ D⁻¹ W = L Lᵀ`):
 * - `log det Σ = log det C + Σᵢ log Dᵢ`
 * - `(x − μ)ᵀ Σ⁻¹ (x − μ) = δᵀ D⁻¹ δ − ‖L⁻¹ Wᵀ D⁻¹ δ‖²`, δ = x − μ
 * - `logProb = −½(d log 2π + log det Σ + Mahalanobis)`, `entropy = ½ d(1 + log 2π) + ½ log det Σ`
 * - `variance = Σⱼ Wᵢⱼ² + Dᵢ` (the diagonal), `rsample = μ + W ε_r + √D ⊙ ε_d`
 * Cost: O(d r² + r³) per member; the r × r Cholesky is unrolled (small r).
 */
export class LowRankMultivariateNormal extends Distribution {
  readonly loc: tf.Tensor;
  readonly covFactor: tf.Tensor;
  readonly covDiag: tf.Tensor;
  readonly batchShape: number[];
  readonly eventShape: number[];
  readonly hasRsample = true;

  constructor(loc: TensorLike, covFactor: TensorLike, covDiag: TensorLike, options: DistributionOptions = {}) {
    super();
    this.loc = toFloatTensor(loc, 'loc');
    this.covFactor = toFloatTensor(covFactor, 'covFactor');
    this.covDiag = toFloatTensor(covDiag, 'covDiag');
    const d = this.loc.shape[this.loc.rank - 1];
    const batch = this.loc.shape.slice(0, -1);
    if (this.loc.rank < 1) throw new InvalidArgumentError('loc', 'a tensor of rank ≥ 1 (the last axis is the event)', `rank ${this.loc.rank}`);
    const expectFactor = [...batch, d];
    if (this.covFactor.rank !== this.loc.rank + 1 || this.covFactor.shape.slice(0, -1).join(',') !== expectFactor.join(',')) {
      throw new InvalidArgumentError('covFactor', `shape [${expectFactor.join(',')}, r] (loc's shape, then the rank r)`, `shape [${this.covFactor.shape.join(',')}]`);
    }
    if (this.covDiag.shape.join(',') !== this.loc.shape.join(',')) {
      throw new InvalidArgumentError('covDiag', `shape [${this.loc.shape.join(',')}] (loc's shape)`, `shape [${this.covDiag.shape.join(',')}]`);
    }
    if (options.validateArgs ?? true) {
      assertAllElements(this.loc, 'loc', 'finite values', Number.isFinite);
      assertAllElements(this.covFactor, 'covFactor', 'finite values', Number.isFinite);
      assertAllElements(this.covDiag, 'covDiag', 'finite values > 0', (v) => v > 0 && Number.isFinite(v));
    }
    this.batchShape = batch;
    this.eventShape = [d as number];
  }

  /** Wᵀ D⁻¹ W + I and its Cholesky columns, and Wᵀ D⁻¹ ([..., r, d]). */
  private capacitance(): { factor: tf.Tensor[]; wtDinv: tf.Tensor } {
    const r = this.covFactor.shape[this.covFactor.rank - 1] as number;
    const wt = tf.transpose(this.covFactor, [...this.batchShape.map((_, i) => i), this.batchShape.length + 1, this.batchShape.length]);
    const wtDinv = tf.div(wt, tf.expandDims(this.covDiag, -2));
    const c = tf.add(tf.matMul(wtDinv, this.covFactor), tf.eye(r));
    return { factor: choleskyColumns(c), wtDinv };
  }

  /** log det Σ per batch member. */
  logDeterminant(): tf.Tensor {
    return tf.tidy(() => tf.add(logDeterminantFromCholesky(this.capacitance().factor), tf.sum(tf.log(this.covDiag), -1)));
  }

  /**
   * `mⱼᵀ Σ⁻¹ mⱼ` for every column mⱼ of `m` ([...batch, d, n] → [...batch, n]), by Woodbury:
   * `mᵀD⁻¹m − ‖L⁻¹WᵀD⁻¹m‖²`.
   */
  quadraticForms(m: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const { factor, wtDinv } = this.capacitance();
      const projected = solveLowerTriangular(factor, tf.matMul(wtDinv, m)); // [...batch, r, n]
      const diagonal = tf.sum(tf.div(tf.square(m), tf.expandDims(this.covDiag, -1)), -2);
      return tf.sub(diagonal, tf.sum(tf.square(projected), -2));
    });
  }

  logProb(value: tf.Tensor): tf.Tensor {
    const x = toFloatTensor(value, 'value');
    return tf.tidy(() => {
      const d = this.eventShape[0] as number;
      const delta = tf.broadcastTo(tf.sub(x, this.loc), broadcastShapes(x.shape, this.loc.shape, 'value', 'loc')); // [...S, ...batch, d]
      const sampleRank = delta.rank - this.loc.rank;
      // Sample axes moved last, so one batched matmul handles every sample: [...batch, d, n].
      const perm = [...Array.from({ length: this.loc.rank }, (_, i) => i + sampleRank), ...Array.from({ length: sampleRank }, (_, i) => i)];
      const columns = sampleRank === 0 ? tf.expandDims(delta, -1) : tf.reshape(tf.transpose(delta, perm), [...this.loc.shape, -1]);
      let mahalanobis = this.quadraticForms(columns); // [...batch, n]
      if (sampleRank === 0) mahalanobis = tf.squeeze(mahalanobis, [mahalanobis.rank - 1]);
      else {
        mahalanobis = tf.transpose(mahalanobis, [this.batchShape.length, ...this.batchShape.map((_, i) => i)]);
        mahalanobis = tf.reshape(mahalanobis, [...delta.shape.slice(0, sampleRank), ...this.batchShape]);
      }
      return tf.mul(tf.add(tf.add(mahalanobis, this.logDeterminant()), d * LOG_2PI), -0.5);
    });
  }

  entropy(): tf.Tensor {
    return tf.tidy(() => {
      const d = this.eventShape[0] as number;
      return tf.add(tf.mul(this.logDeterminant(), 0.5), 0.5 * d * (1 + LOG_2PI));
    });
  }

  mean(): tf.Tensor {
    return tf.clone(this.loc);
  }

  override mode(): tf.Tensor {
    return tf.clone(this.loc);
  }

  variance(): tf.Tensor {
    return tf.tidy(() => tf.add(tf.sum(tf.square(this.covFactor), -1), this.covDiag));
  }

  protected override rsampleImpl(sampleShape: number[], seed: number): tf.Tensor {
    return tf.tidy(() => {
      const r = this.covFactor.shape[this.covFactor.rank - 1] as number;
      const epsR = seededRandomNormal([...sampleShape, ...this.batchShape, r, 1], seed);
      const epsD = seededRandomNormal([...sampleShape, ...this.loc.shape], seed + 1);
      const lowRank = tf.squeeze(tf.matMul(tf.broadcastTo(this.covFactor, [...sampleShape, ...this.covFactor.shape]), epsR), [sampleShape.length + this.loc.rank]);
      return tf.add(tf.add(this.loc, lowRank), tf.mul(tf.sqrt(this.covDiag), epsD));
    });
  }
}

/**
 * `KL(p ‖ q) = ½[tr(Σ_q⁻¹Σ_p) + δᵀΣ_q⁻¹δ − d + log det Σ_q − log det Σ_p]`, δ = μ_q − μ_p, for low-rank-plus-diagonal
 * covariances. `tr(Σ_q⁻¹Σ_p) = Σⱼ aⱼᵀΣ_q⁻¹aⱼ` over the columns of A = [W_p, diag(√D_p)] (Σ_p = AAᵀ), each by Woodbury.
 */
export function klLowRankMultivariateNormal(p: LowRankMultivariateNormal, q: LowRankMultivariateNormal): tf.Tensor {
  if (p.eventShape[0] !== q.eventShape[0] || p.batchShape.join(',') !== q.batchShape.join(',')) {
    throw new InvalidArgumentError('q', `event shape [${p.eventShape.join(',')}] and batch shape [${p.batchShape.join(',')}] like p`, `[${q.eventShape.join(',')}] and [${q.batchShape.join(',')}]`);
  }
  return tf.tidy(() => {
    const d = p.eventShape[0] as number;
    const diagColumns = tf.mul(tf.eye(d), tf.expandDims(tf.sqrt(p.covDiag), -2)); // column j = √D_p,j eⱼ
    const a = tf.concat([p.covFactor, diagColumns], -1);
    const trace = tf.sum(q.quadraticForms(a), -1);
    const mahalanobis = tf.squeeze(q.quadraticForms(tf.expandDims(tf.sub(q.loc, p.loc), -1)), [p.batchShape.length]);
    return tf.mul(tf.add(tf.sub(tf.add(trace, mahalanobis), d), tf.sub(q.logDeterminant(), p.logDeterminant())), 0.5);
  });
}
