import * as tf from '@tensorflow/tfjs-core';
import type { DataMatrix } from '@trientropy/data';
import type { VaeModel } from '@trientropy/models';
import { evaluationBatchRows } from '../evaluation-batch.js';
import { importanceLogWeights } from './importance-log-weights.js';
import { type PerPointEstimate, integer, meanWithStandardError, perRowValues, positiveInteger } from './per-point-estimate.js';
import { deriveSeed } from '@trientropy/distributions';

/** Options of {@link iwaeBound}. */
export interface IwaeBoundOptions {
  /** Importance samples k per data point. */
  k: number;
  /** Seed of the samples; chunk i of the data uses `seed + i`. */
  seed: number;
  /** Rows per forward pass. Default: as many as keep k·rows ≤ 100 000. */
  batchSize?: number;
}

/** The IWAE bound on a data set (an estimate of log p(x) from below), with its standard error over data points. */
export interface IwaeBound extends PerPointEstimate {
  k: number;
}

/**
 * The importance-weighted bound of Burda et al. with the encoder as proposal:
 * `L_k(x) = log (1/k) Σ_s p(x, z_s)/q(z_s|x)`, `z_s ~ q(z|x)`, computed with log-sum-exp, averaged over the
 * rows of `data`. In expectation `ELBO = L_1 ≤ L_k ≤ L_{k+1} ≤ log p(x)`, and `L_k → log p(x)` as k grows, so
 * it is the library's log-likelihood estimate. Supported for every variant of @trientropy/models.
 */
export async function iwaeBound(model: VaeModel, data: DataMatrix | tf.Tensor2D, options: IwaeBoundOptions): Promise<IwaeBound> {
  const k = positiveInteger(options.k, 'k');
  const seed = integer(options.seed, 'seed');
  const batchSize = positiveInteger(evaluationBatchRows(model, k, options.batchSize, Math.max(1, Math.floor(100_000 / k))), 'batchSize');
  const logK = Math.log(k);
  const [perPoint] = await perRowValues(model, data, batchSize, (chunk, index) => {
    const w = importanceLogWeights(model, chunk, k, deriveSeed(seed, index));
    const logWeights = tf.sub(tf.add(w.logLikelihood, w.logPrior), w.logPosterior);
    return [tf.sub(tf.logSumExp(logWeights, 0), logK) as tf.Tensor1D];
  });
  return { ...meanWithStandardError(perPoint!, 'per-point IWAE bound'), k };
}
