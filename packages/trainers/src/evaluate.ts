import * as tf from '@tensorflow/tfjs-core';
import { type VaeModel, type VariantEntropyTerms, variantEntropyTerms } from '@trientropy/models';
import { evaluationBatchRows } from './evaluation-batch.js';

/** Options of {@link evaluateVae}. */
export interface EvaluateOptions {
  /** Seed of the Monte-Carlo samples of the ELBO (and of sampled decoder entropies). */
  seed: number;
  /** Samples of z per data point. Default 10. */
  samples?: number;
  /** Rows per forward pass; bounds memory on large data sets. Default 2000, fewer with many samples (see `EVALUATION_ELEMENT_BUDGET`). */
  batchSize?: number;
}

/**
 * ELBO, the three entropies and their sum, and the stationarity statistics of a model on a data set, in nats
 * per data point (see `VariantEntropyTerms` of @trientropy/models for every field), plus the two pairs that
 * match separately at a stationary point (arXiv 2010.14860, convergence application).
 */
export interface Evaluation extends VariantEntropyTerms {
  /** Reconstruction term `E_q log p(x|z)` against `−H_dec`, and `−KL` against `H_enc − H_prior`. */
  decomposition: { reconstruction: number; negativeDecoderEntropy: number; negativeKl: number; encoderMinusPriorEntropy: number };
}

/**
 * Evaluates ELBO terms and the three entropies over all rows of `data` (shape [N, D]) in batches, with the
 * same samples for the ELBO and any sampled entropy, so `elbo − entropySum` obeys the gap identities of
 * the gap identity (derived from arXiv 2010.14860) exactly. Reads the results back once; leaves no tensors behind.
 */
export async function evaluateVae(model: VaeModel, data: tf.Tensor2D, options: EvaluateOptions): Promise<Evaluation> {
  const samples = options.samples ?? 10;
  const batchSize = evaluationBatchRows(model, samples, options.batchSize, 2000);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize: expected a positive integer, got ${String(batchSize)}`);
  if (!(data instanceof tf.Tensor) || data.rank !== 2) throw new Error(`data: expected a tf.Tensor2D [N, D], got ${data instanceof tf.Tensor ? `rank ${data.rank}` : typeof data}`);
  if (data.shape[0] === 0) throw new Error('data: expected at least one row, got 0');
  const terms = await variantEntropyTerms(model, data, { seed: options.seed, samples, batchSize });
  return {
    ...terms,
    decomposition: {
      reconstruction: terms.expectedLogLikelihood,
      negativeDecoderEntropy: -terms.entropies.decoder,
      negativeKl: -terms.kl,
      encoderMinusPriorEntropy: terms.entropies.encoder - terms.entropies.prior,
    },
  };
}
