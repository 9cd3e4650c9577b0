import * as tf from '@tensorflow/tfjs-core';
import { type DataMatrix, SeededRandom } from '@trientropy/data';
import type { VaeModel } from '@trientropy/models';
import type { EpochRecord } from './epoch-record.js';
import type { TrainResult } from './train-callbacks.js';
import { type CommonTrainOptions, TrainingSession, positiveInteger, toTrainingTensor } from './training-session.js';

/**
 * Minibatches from disk or any generator: each iteration of the source is one epoch (e.g. `csvBatches` and
 * `npyBatches` of @trientropy/data, which reshuffle within a buffer every epoch).
 */
export type BatchSource = AsyncIterable<DataMatrix> | Iterable<DataMatrix>;

/** Options of {@link trainVaeOnStream}. */
export interface StreamTrainOptions extends CommonTrainOptions {
  /**
   * In-memory data for the per-epoch evaluation and the closed-form variance updates (e.g. a held-out
   * sample of the stream): a stream cannot be evaluated as a whole every epoch.
   */
  evaluationData: DataMatrix | tf.Tensor2D;
  /** Batches per epoch, if known: needed by learning-rate and β schedules (their `totalSteps`). */
  batchesPerEpoch?: number;
}

/**
 * Trains like {@link trainVae} on minibatches streamed from `source`, so that data larger than memory trains
 * with bounded memory: one batch is on the device at a time. Order and shuffling are the source's; the
 * Monte-Carlo samples are seeded from `seed`. Epochs end with the evaluation on `evaluationData`. Checkpoints
 * and resume are not offered here: a stream cannot be repositioned (use {@link trainVae} for exact resume).
 */
export async function trainVaeOnStream(model: VaeModel, source: BatchSource, options: StreamTrainOptions): Promise<TrainResult> {
  const epochs = positiveInteger(options.epochs, 'epochs');
  const known = options.batchesPerEpoch === undefined ? undefined : positiveInteger(options.batchesPerEpoch, 'batchesPerEpoch');
  const scheduled = typeof options.learningRate === 'function' || typeof options.beta === 'function' || (options.parameterGroups ?? []).some((g) => typeof g.learningRate === 'function');
  if (scheduled && known === undefined) throw new Error('batchesPerEpoch: expected a positive integer when a learning-rate or β schedule is used (schedules need the total number of steps), got undefined');
  const session = new TrainingSession(model, options, epochs * (known ?? 1));
  let evaluationX: tf.Tensor2D | undefined;
  try {
    evaluationX = toTrainingTensor(options.evaluationData, model.dataDim, 'evaluationData');
    const { callbacks, control } = session;
    const rng = new SeededRandom(options.seed);
    const records: EpochRecord[] = [];
    let step = 0;
    session.initializeBias(evaluationX);
    session.start();
    await callbacks.onTrainStart({ epochs, batchesPerEpoch: known, startEpoch: 1 }, control);
    for (let epoch = 1; epoch <= epochs && control.stopReason === undefined; epoch++) {
      await callbacks.onEpochStart(epoch, control);
      let lossSum: tf.Scalar = tf.scalar(0);
      const firstStep = step + 1;
      let batch = 0;
      try {
        for await (const matrix of source) {
          const xb = toTrainingTensor(matrix, model.dataDim, `batch ${batch} of epoch ${epoch}`);
          let loss: tf.Scalar;
          try {
            loss = session.step(xb, rng.nextSeed(), step + 1);
          } finally {
            xb.dispose();
          }
          const previous = lossSum;
          lossSum = tf.add(previous, loss);
          tf.dispose([previous, loss]);
          step += 1;
          await callbacks.onBatchEnd({ epoch, batch, batchesPerEpoch: known, step }, control);
          batch += 1;
          if (control.stopReason !== undefined) break;
          await session.maybeYield();
        }
        if (batch === 0) throw new Error(`source: expected at least one batch in epoch ${epoch}, got none`);
        const health = await session.health(lossSum, batch);
        if (!health.finite) session.fail(epoch, firstStep, step, health.problem);
      } finally {
        lossSum.dispose();
      }
      const record = await session.endEpoch(evaluationX, rng, epoch, firstStep, step);
      records.push(record);
      await callbacks.onEpochEnd(record, control);
    }
    const result: TrainResult = { epochs: records, final: records[records.length - 1]!, steps: step };
    if (control.stopReason !== undefined) result.stopReason = control.stopReason;
    await callbacks.onTrainEnd(result, control);
    return result;
  } finally {
    evaluationX?.dispose();
    session.dispose();
  }
}
