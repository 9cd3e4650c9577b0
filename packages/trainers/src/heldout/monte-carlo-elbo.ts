import * as tf from '@tensorflow/tfjs-core';
import type { DataMatrix } from '@trientropy/data';
import type { VaeModel } from '@trientropy/models';
import { evaluationBatchRows } from '../evaluation-batch.js';
import { importanceLogWeights } from './importance-log-weights.js';
import { type PerPointEstimate, integer, meanWithStandardError, perRowValues, positiveInteger } from './per-point-estimate.js';
import { deriveSeed } from '@trientropy/distributions';

/** Options of {@link monteCarloElbo}. */
export interface MonteCarloElboOptions {
  /** Seed of the samples; chunk i of the data uses `seed + i`. */
  seed: number;
  /** Samples of z per data point. Default 10. */
  samples?: number;
  /** Rows per forward pass. Default 1000. */
  batchSize?: number;
}

/** The Monte-Carlo ELBO on a data set, with its standard error over data points. */
export interface MonteCarloElbo extends PerPointEstimate {
  samples: number;
}

/**
 * Monte-Carlo ELBO per data point (arXiv 2010.14860, model definitions): `F_n = mean_s log p(x_n|z_s) − KL(q(z|x_n) ‖ p(z))` with `samples`
 * reparameterised draws and the closed-form KL, averaged over the rows of `data`. The standard error is over
 * data points (it includes the sampling noise of each F_n). Supported for every variant of @trientropy/models;
 * other `VaeModel` implementations are rejected ("not supported for <kind>").
 */
export async function monteCarloElbo(model: VaeModel, data: DataMatrix | tf.Tensor2D, options: MonteCarloElboOptions): Promise<MonteCarloElbo> {
  const seed = integer(options.seed, 'seed');
  const samples = positiveInteger(options.samples ?? 10, 'samples');
  const batchSize = positiveInteger(evaluationBatchRows(model, samples, options.batchSize, 1000), 'batchSize');
  const [perPoint] = await perRowValues(model, data, batchSize, (chunk, index) => {
    const w = importanceLogWeights(model, chunk, samples, deriveSeed(seed, index));
    return [tf.sub(tf.mean(w.logLikelihood, 0), w.kl) as tf.Tensor1D];
  });
  return { ...meanWithStandardError(perPoint!, 'per-point ELBO'), samples };
}
