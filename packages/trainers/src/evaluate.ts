import * as tf from '@tensorflow/tfjs-core';
import type { VaeModel } from '@trientropy/models';

/** Options of {@link evaluateVae}. */
export interface EvaluateOptions {
  /** Seed of the Monte-Carlo samples of the ELBO. */
  seed: number;
  /** Samples of z per data point for the ELBO. Default 10. */
  samples?: number;
  /** Rows per forward pass; bounds memory on large data sets. Default 2000. */
  batchSize?: number;
}

/** ELBO, entropy sum and stationarity statistics of a model on a data set, in nats per data point. */
export interface Evaluation {
  /** Monte-Carlo ELBO. */
  elbo: number;
  expectedLogLikelihood: number;
  kl: number;
  /** Sampling-free entropy sum `mean_n H[q(z|x_n)] − H[p(z)] − E H[p(x|z)]`. */
  entropySum: number;
  entropies: { prior: number; encoder: number; decoder: number };
  /** |ELBO − entropy sum| / |ELBO|. */
  relativeGap: number;
  /** Decoder variance σ². */
  sigma2: number;
  /** R = mean_n E_q‖x_n − μ(z)‖² (from the ELBO's samples). */
  squaredError: number;
  /** R/(Dσ²); 1 at a stationary point (spec §6.3). */
  varianceRatio: number;
  /** m_h per latent; 1 at a stationary point of VAE-1 (spec §6.3). */
  latentSecondMoments: number[];
  /**
   * The two pairs that match separately at a stationary point (spec §5.5): the reconstruction term
   * `E_q log p(x|z)` against `−H_dec`, and `−KL` against `H_enc − H_prior`.
   */
  decomposition: { reconstruction: number; negativeDecoderEntropy: number; negativeKl: number; encoderMinusPriorEntropy: number };
}

/**
 * Evaluates ELBO terms and the three entropies over all rows of `data` (shape [N, D]) in batches,
 * averaging per data point. Reads the results back once at the end; leaves no tensors behind.
 */
export async function evaluateVae(model: VaeModel, data: tf.Tensor2D, options: EvaluateOptions): Promise<Evaluation> {
  const batchSize = options.batchSize ?? 2000;
  const samples = options.samples ?? 10;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize: expected a positive integer, got ${String(batchSize)}`);
  const n = data.shape[0];
  if (n === 0) throw new Error('data: expected at least one row, got 0');
  const names = ['elbo', 'expectedLogLikelihood', 'kl', 'squaredError', 'prior', 'encoder', 'decoder', 'entropySum'] as const;
  const totals = tf.tidy(() => {
    let sums = tf.zeros([names.length]);
    let moments = tf.zeros([model.latentDim]);
    for (let start = 0, index = 0; start < n; start += batchSize, index++) {
      const size = Math.min(batchSize, n - start);
      const batch = tf.slice(data, [start, 0], [size, data.shape[1]]);
      const terms = model.elbo(batch, { seed: options.seed + index, samples });
      const entropies = model.entropies(batch);
      const row = tf.stack([terms.elbo, terms.expectedLogLikelihood, terms.kl, terms.squaredError, entropies.prior, entropies.encoder, entropies.decoder, entropies.sum]);
      sums = tf.add(sums, tf.mul(row, size));
      moments = tf.add(moments, tf.mul(model.latentSecondMoments(batch), size));
    }
    return { means: tf.div(sums, n), moments: tf.div(moments, n), sigma2: model.decoderVariance() };
  });
  const [means, moments, sigma2Values] = await Promise.all([totals.means.data(), totals.moments.data(), totals.sigma2.data()]);
  tf.dispose([totals.means, totals.moments, totals.sigma2]);
  const value = (name: (typeof names)[number]): number => means[names.indexOf(name)] as number;
  const sigma2 = sigma2Values[0] as number;
  const elbo = value('elbo');
  const entropySum = value('entropySum');
  return {
    elbo,
    expectedLogLikelihood: value('expectedLogLikelihood'),
    kl: value('kl'),
    entropySum,
    entropies: { prior: value('prior'), encoder: value('encoder'), decoder: value('decoder') },
    relativeGap: Math.abs(elbo - entropySum) / Math.abs(elbo),
    sigma2,
    squaredError: value('squaredError'),
    varianceRatio: value('squaredError') / (model.dataDim * sigma2),
    latentSecondMoments: Array.from(moments),
    decomposition: {
      reconstruction: value('expectedLogLikelihood'),
      negativeDecoderEntropy: -value('decoder'),
      negativeKl: -value('kl'),
      encoderMinusPriorEntropy: value('encoder') - value('prior'),
    },
  };
}
