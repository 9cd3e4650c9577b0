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

/** One epoch's pass over `source`; `await` on `next()` serves both kinds of iterator. */
function iterate(source: BatchSource): AsyncIterator<DataMatrix> | Iterator<DataMatrix> {
  return Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
}

/**
 * Trains like {@link trainVae} on minibatches streamed from `source`, so that data larger than memory trains
 * with bounded memory: one batch is on the device at a time. Order and shuffling are the source's; the
 * Monte-Carlo samples are seeded from `seed`. Epochs end with the evaluation on `evaluationData`. Checkpoints
 * and resume are not offered here: a stream cannot be repositioned (use {@link trainVae} for exact resume).
 * An epoch cut short is closed like a whole one and its record marked `partial`, as {@link trainVae} marks one: a
 * stop requested mid-epoch (`control.stop` from `onBatchEnd`; training then ends), or a source that ends before
 * `batchesPerEpoch` batches (training goes on with the next pass). Without `batchesPerEpoch`, the source's own end
 * is the epoch's, so only a stop can cut one short, and the record cannot say of how many batches.
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
      let partial: EpochRecord['partial'];
      // Iterated by hand, not with `for await`: after a stop, a source of unknown length is asked for one more
      // batch to tell a stop after its last batch (a whole epoch) from one mid-epoch.
      const batches = iterate(source);
      let ended = false;
      try {
        for (;;) {
          const next = await batches.next();
          if (next.done === true) {
            ended = true;
            break;
          }
          const matrix = next.value;
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
        if (known !== undefined) {
          if (batch < known) partial = { batchesDone: batch, batchesPerEpoch: known };
        } else if (!ended) {
          ended = (await batches.next()).done === true;
          if (!ended) partial = { batchesDone: batch };
        }
        const health = await session.health(lossSum, batch);
        if (!health.finite) session.fail(epoch, firstStep, step, health.problem);
      } finally {
        lossSum.dispose();
        if (!ended) await batches.return?.();
      }
      const record = await session.endEpoch(evaluationX, rng, epoch, firstStep, step);
      if (partial !== undefined) record.partial = partial;
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
