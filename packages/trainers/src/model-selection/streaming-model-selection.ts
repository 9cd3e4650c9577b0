import * as tf from '@tensorflow/tfjs-core';
import type { DataMatrix } from '@trientropy/data';
import { LinearVae } from '@trientropy/models';
import { type BicParameterCount, bayesianInformationCriterion, linearVaeParameterCount } from './bic.js';
import { deriveSeed } from '@trientropy/distributions';

/** Options of {@link streamingModelSelection}. */
export interface StreamingModelSelectionOptions {
  /** Candidate latent dimensions H, each a linear VAE trained online. */
  latentDims: readonly number[];
  /** Points per batch. Default 10 (the paper's). */
  batchSize?: number;
  /** Adam's learning rate. Default 2e-3 (the paper's). */
  learningRate?: number;
  /**
   * Learning rate of the variance parameters (log σ² and the encoder's log τ²), trained by their own Adam as in
   * the paper's "fast" parameter group. Default: `learningRate`.
   */
  varianceLearningRate?: number;
  /** Monte-Carlo samples of the training ELBO and of the recorded ELBO. Default 100 (the paper's). */
  samples?: number;
  seed: number;
  /** Parameter count of the BIC. Default 'paper' (k = H·D + 1). */
  parameterCount?: BicParameterCount;
  /**
   * The n of the BIC's k·ln(n): `'batch'` (the paper's: the batch size) or `'total'` (all points seen so far,
   * as if the likelihood were summed over the whole stream). Default 'batch'.
   */
  sampleCount?: 'batch' | 'total';
  /**
   * What each online step maximises: `'monte-carlo'` (the paper's: the reparameterised ELBO with `samples`
   * draws) or `'exact'` (the linear VAE's sampling-free ELBO, arXiv 2010.14860, linear-VAE section: no gradient noise, so a scaled-down
   * stream with fewer batches converges within each segment). Default 'monte-carlo'.
   */
  objective?: 'monte-carlo' | 'exact';
  /** Initial log σ² of every candidate. Default 0. */
  initialLogDecoderVariance?: number;
  /** Batches between device reads of the recorded values (no per-step read-back). Default 100. */
  readEvery?: number;
}

/** One batch of the stream: batch sums of each candidate's estimates and the BIC choices. */
export interface StreamingBatchRecord {
  batch: number;
  /** First row of the batch in the stream. */
  start: number;
  /** Per candidate (order of `latentDims`): entropy sum, summed over the batch's points. */
  entropySums: number[];
  /** Per candidate: Monte-Carlo ELBO, summed over the batch's points. */
  elbos: number[];
  entropyBic: number[];
  elboBic: number[];
  /** The candidate H with the lowest entropy-based BIC. */
  entropyChoice: number;
  /** The candidate H with the lowest ELBO-based BIC. */
  elboChoice: number;
}

/** What {@link streamingModelSelection} returns. */
export interface StreamingModelSelection {
  latentDims: number[];
  /** The k of each candidate's BIC. */
  parameterCounts: number[];
  batches: StreamingBatchRecord[];
}

function argmin(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! < values[best]!) best = i;
  return best;
}

/**
 * Streaming model selection of the latent dimension (arXiv 2010.14860, streaming linear-VAE experiment and model-selection application): one linear VAE per candidate H is trained
 * online with Adam, one step on each batch of the stream in order; before its step, each model's entropy sum
 * (sampling-free for the linear VAE) and Monte-Carlo ELBO on the batch are recorded as batch sums with their
 * BIC = k·ln(n) − 2·L, and the argmin H of each is the batch's choice. Values are read from the device every
 * `readEvery` batches, not per step. No tensors outlive the call.
 */
export async function streamingModelSelection(stream: DataMatrix, options: StreamingModelSelectionOptions): Promise<StreamingModelSelection> {
  const dims = [...options.latentDims];
  if (dims.length === 0 || !dims.every((h) => Number.isInteger(h) && h >= 1 && h < stream.cols)) {
    throw new Error(`latentDims: expected a non-empty list of integers in [1, ${stream.cols - 1}], got [${dims.join(', ')}]`);
  }
  const batchSize = options.batchSize ?? 10;
  const samples = options.samples ?? 100;
  const readEvery = options.readEvery ?? 100;
  for (const [name, value] of [['batchSize', batchSize], ['samples', samples], ['readEvery', readEvery]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name}: expected a positive integer, got ${String(value)}`);
  }
  const learningRate = options.learningRate ?? 2e-3;
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new Error(`learningRate: expected a finite number > 0, got ${String(learningRate)}`);
  const varianceLearningRate = options.varianceLearningRate ?? learningRate;
  if (!(varianceLearningRate > 0) || !Number.isFinite(varianceLearningRate)) throw new Error(`varianceLearningRate: expected a finite number > 0, got ${String(varianceLearningRate)}`);
  if (!Number.isInteger(options.seed)) throw new Error(`seed: expected an integer, got ${String(options.seed)}`);
  const objective = options.objective ?? 'monte-carlo';
  if (objective !== 'monte-carlo' && objective !== 'exact') throw new Error(`objective: expected 'monte-carlo' or 'exact', got ${String(objective)}`);
  const sampleCount = options.sampleCount ?? 'batch';
  if (sampleCount !== 'batch' && sampleCount !== 'total') throw new Error(`sampleCount: expected 'batch' or 'total', got ${String(sampleCount)}`);
  const parameterCounts = dims.map((h) => linearVaeParameterCount(stream.cols, h, options.parameterCount ?? 'paper'));
  const batchCount = Math.floor(stream.rows / batchSize);
  if (batchCount === 0) throw new Error(`stream: expected at least one full batch of ${batchSize} rows, got ${stream.rows} rows`);

  const models = dims.map((h, i) => new LinearVae({ dataDim: stream.cols, latentDim: h, seed: deriveSeed(options.seed, i), initialLogDecoderVariance: options.initialLogDecoderVariance ?? 0 }));
  // Two parameter groups per model: the variances (log σ², log τ²) and everything else.
  const isVariance = (name: string): boolean => name === 'logDecoderVariance' || name === 'encoder/logVariance';
  const groups = models.map((model) => {
    const named = Object.entries(model.namedVariables()).filter(([, v]) => v.trainable);
    if (varianceLearningRate === learningRate) return [{ variables: named.map(([, v]) => v), optimizer: tf.train.adam(learningRate) }];
    return [
      { variables: named.filter(([name]) => !isVariance(name)).map(([, v]) => v), optimizer: tf.train.adam(learningRate) },
      { variables: named.filter(([name]) => isVariance(name)).map(([, v]) => v), optimizer: tf.train.adam(varianceLearningRate) },
    ];
  });
  const batches: StreamingBatchRecord[] = [];
  let pending: tf.Tensor2D[] = []; // per batch: [2, candidates] = (entropy sums, ELBOs)
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const stacked = tf.stack(pending);
    const values = await stacked.data();
    tf.dispose([stacked, ...pending]);
    const first = batches.length;
    const m = dims.length;
    pending.forEach((_, j) => {
      const batch = first + j;
      const entropySums = Array.from(values.subarray(j * 2 * m, j * 2 * m + m));
      const elbos = Array.from(values.subarray(j * 2 * m + m, (j + 1) * 2 * m));
      const n = sampleCount === 'batch' ? batchSize : (batch + 1) * batchSize;
      const entropyBic = entropySums.map((l, i) => bayesianInformationCriterion(l, parameterCounts[i]!, n));
      const elboBic = elbos.map((l, i) => bayesianInformationCriterion(l, parameterCounts[i]!, n));
      batches.push({ batch, start: batch * batchSize, entropySums, elbos, entropyBic, elboBic, entropyChoice: dims[argmin(entropyBic)]!, elboChoice: dims[argmin(elboBic)]! });
    });
    pending = [];
  };
  try {
    for (let b = 0; b < batchCount; b++) {
      const seed = deriveSeed(options.seed, 1000 * b);
      const record = tf.tidy(() => {
        const x = tf.tensor2d(stream.values.subarray(b * batchSize * stream.cols, (b + 1) * batchSize * stream.cols), [batchSize, stream.cols]);
        const row = models.map((model) => [tf.mul(model.entropies(x).sum, batchSize), tf.mul(model.elbo(x, { seed, samples }).elbo, batchSize)] as const);
        models.forEach((model, i) => {
          const loss = (): tf.Scalar => tf.neg(objective === 'exact' ? model.exactElbo(x).elbo : model.objective(x, { seed: deriveSeed(seed, 1), samples }));
          const all = groups[i]!.flatMap((g) => g.variables);
          const { grads } = tf.variableGrads(loss, all);
          for (const g of groups[i]!) g.optimizer.applyGradients(g.variables.map((v) => ({ name: v.name, tensor: grads[v.name]! })));
        });
        return tf.stack([tf.stack(row.map((r) => r[0])), tf.stack(row.map((r) => r[1]))]) as tf.Tensor2D;
      });
      pending.push(record);
      if (pending.length >= readEvery) await flush();
    }
    await flush();
  } finally {
    tf.dispose(pending);
    groups.forEach((g) => g.forEach((group) => group.optimizer.dispose()));
    models.forEach((m) => m.dispose());
  }
  for (const record of batches) {
    if (![...record.entropySums, ...record.elbos].every(Number.isFinite)) throw new Error(`streamingModelSelection: a non-finite entropy sum or ELBO at batch ${record.batch} (learning rate ${learningRate} too high?)`);
  }
  return { latentDims: dims, parameterCounts, batches };
}
