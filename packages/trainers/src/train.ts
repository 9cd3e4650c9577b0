import * as tf from '@tensorflow/tfjs-core';
import { type DataMatrix, type RandomState, SeededRandom } from '@trientropy/data';
import type { VaeModel } from '@trientropy/models';
import { captureAdamState, restoreAdamState } from './checkpoint/adam-state.js';
import type { TrainingCheckpoint } from './checkpoint/training-checkpoint.js';
import type { EpochRecord } from './epoch-record.js';
import { HostBatches, hostValues } from './host-batches.js';
import type { TrainResult } from './train-callbacks.js';
import { type CommonTrainOptions, TrainingSession, positiveInteger, toTrainingTensor } from './training-session.js';

/** Where and how often {@link trainVae} writes checkpoints. */
export interface CheckpointOptions {
  /** Write a checkpoint after every this many steps (and always at the end of each epoch). */
  everySteps?: number;
  /** Receives each checkpoint, e.g. `checkpointFileSink(dir)` from `@trientropy/trainers/node`. */
  write: (checkpoint: TrainingCheckpoint) => Promise<void>;
  /** Stored in every checkpoint unchanged (e.g. the settings needed to rebuild the model). */
  metadata?: Record<string, unknown>;
}

/** Options of {@link trainVae}. */
export interface TrainOptions extends CommonTrainOptions {
  batchSize: number;
  checkpoint?: CheckpointOptions;
  /** Continue the run that wrote this checkpoint (same data, batch size, samples and seed). */
  resumeFrom?: TrainingCheckpoint;
}

function checkResumable(checkpoint: TrainingCheckpoint, session: TrainingSession, run: TrainingCheckpoint['run']): void {
  const mismatch = (what: string, expected: unknown, actual: unknown) => new Error(`resumeFrom: the checkpoint's ${what} is ${String(actual)}, this run's is ${String(expected)}`);
  if (checkpoint.modelKind !== session.model.kind) throw mismatch('model kind', session.model.kind, checkpoint.modelKind);
  for (const key of ['rows', 'batchSize', 'samples', 'seed'] as const) if (checkpoint.run[key] !== run[key]) throw mismatch(key, run[key], checkpoint.run[key]);
  const variables = session.variables;
  if (checkpoint.variables.length !== variables.length) throw mismatch('number of variables', variables.length, checkpoint.variables.length);
  checkpoint.variables.forEach((saved, i) => {
    const shape = variables[i]!.shape;
    if (saved.shape.join('×') !== shape.join('×')) throw mismatch(`variables[${i}] (${saved.name}) shape`, shape.join('×'), saved.shape.join('×'));
  });
  if (checkpoint.optimizers.length !== session.groups.length) throw mismatch('number of parameter groups', session.groups.length, checkpoint.optimizers.length);
}

/**
 * Trains a VAE by maximising the Monte-Carlo ELBO (the model's objective) with minibatch Adam
 * (`tf.train.adam`), shuffling in memory with a seeded generator each epoch, and evaluates ELBO and entropy sum
 * on the full training set after every epoch. For data that does not fit in memory see {@link trainVaeOnStream}.
 *
 * A non-finite loss stops training with a {@link NonFiniteLossError}; the model is then restored to the end
 * of the last epoch whose losses were all finite, and no checkpoint with non-finite values is written. With
 * `checkpoint`, the full training state is handed to `checkpoint.write` every `everySteps` steps and at every
 * epoch's end; `resumeFrom` continues such a run and ends, bit for bit on the cpu backend, where the
 * uninterrupted run would have. No tensor outlives the call.
 */
export async function trainVae(model: VaeModel, data: DataMatrix | tf.Tensor2D, options: TrainOptions): Promise<TrainResult> {
  const batchSize = positiveInteger(options.batchSize, 'batchSize');
  const epochs = positiveInteger(options.epochs, 'epochs');
  const checkpointEvery = options.checkpoint?.everySteps === undefined ? undefined : positiveInteger(options.checkpoint.everySteps, 'checkpoint.everySteps');
  const n = data instanceof tf.Tensor ? data.shape[0] : data.rows;
  const batchesPerEpoch = Math.ceil(n / batchSize);
  const session = new TrainingSession(model, options, epochs * batchesPerEpoch);
  let x: tf.Tensor2D | undefined;
  try {
    x = toTrainingTensor(data, model.dataDim, 'data');
    const batches = new HostBatches(await hostValues(data instanceof tf.Tensor ? x : data), model.dataDim);
    const run = { rows: n, batchSize, epochs, samples: session.samples, seed: options.seed };
    const resume = options.resumeFrom;
    if (resume !== undefined) checkResumable(resume, session, run);
    const { callbacks, control, variables, optimizers } = session;
    let rng = new SeededRandom(options.seed);
    let epochStartState: RandomState = rng.getState();
    let records: EpochRecord[] = [];
    let step = 0;
    let startEpoch = 1;
    let startBatch = 0;
    let startLossSum = 0;
    if (resume !== undefined) {
      variables.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(resume.variables[i]!.values, v.shape, 'float32'))));
      for (const [i, group] of optimizers.entries()) await restoreAdamState(group.optimizer, resume.optimizers[i]!, group.variables);
      rng = SeededRandom.fromState(resume.random.current);
      epochStartState = resume.random.epochStart;
      records = [...resume.records];
      step = resume.progress.step;
      const epochDone = resume.progress.batchesDone >= resume.progress.batchesPerEpoch;
      startEpoch = epochDone ? resume.progress.epoch + 1 : resume.progress.epoch;
      startBatch = epochDone ? 0 : resume.progress.batchesDone;
      startLossSum = epochDone ? 0 : resume.progress.lossSum;
    }
    session.start();

    const writeCheckpoint = async (epoch: number, batchesDone: number, lossSum: number): Promise<void> => {
      if (options.checkpoint === undefined) return;
      await options.checkpoint.write({
        version: 1,
        createdAt: new Date().toISOString(),
        modelKind: model.kind,
        variables: await Promise.all(variables.map(async (v) => ({ name: v.name, shape: [...v.shape], values: new Float32Array(await v.data()) }))),
        optimizers: await Promise.all(optimizers.map((g) => captureAdamState(g.optimizer))),
        random: { current: rng.getState(), epochStart: epochStartState },
        progress: { epoch, batchesDone, batchesPerEpoch, step, lossSum },
        run,
        records,
        metadata: options.checkpoint.metadata ?? {},
      });
    };

    await callbacks.onTrainStart({ epochs, batchesPerEpoch, startEpoch }, control);
    for (let epoch = startEpoch; epoch <= epochs && control.stopReason === undefined; epoch++) {
      const resuming = epoch === startEpoch && startBatch > 0;
      if (!resuming) epochStartState = rng.getState();
      const order = resuming ? SeededRandom.fromState(epochStartState).permutation(n) : rng.permutation(n);
      await callbacks.onEpochStart(epoch, control);
      // The loss is summed on the device and read once per epoch (and at checkpoints), so steps never wait.
      let lossSum: tf.Scalar = tf.scalar(resuming ? startLossSum : 0);
      const firstStep = step + 1;
      try {
        for (let batch = resuming ? startBatch : 0; batch < batchesPerEpoch; batch++) {
          const start = batch * batchSize;
          const size = Math.min(batchSize, n - start);
          const seed = rng.nextSeed();
          const xb = batches.batch(order, start, size);
          const loss = session.step(xb, seed, step + 1);
          xb.dispose();
          const previous = lossSum;
          lossSum = tf.add(previous, loss);
          tf.dispose([previous, loss]);
          step += 1;
          await callbacks.onBatchEnd({ epoch, batch, batchesPerEpoch, step }, control);
          if (control.stopReason !== undefined) break;
          if (checkpointEvery !== undefined && step % checkpointEvery === 0 && batch < batchesPerEpoch - 1) {
            const health = await session.health(lossSum);
            if (!health.finite) session.fail(epoch, firstStep, step);
            await writeCheckpoint(epoch, batch + 1, health.loss);
          }
          await session.maybeYield();
        }
        const health = await session.health(lossSum);
        if (!health.finite) session.fail(epoch, firstStep, step);
      } finally {
        lossSum.dispose();
      }
      const record = await session.endEpoch(x, rng, epoch, firstStep, step);
      records.push(record);
      await callbacks.onEpochEnd(record, control);
      await writeCheckpoint(epoch, batchesPerEpoch, 0);
    }
    const result: TrainResult = { epochs: records, final: records[records.length - 1]!, steps: step };
    if (control.stopReason !== undefined) result.stopReason = control.stopReason;
    await callbacks.onTrainEnd(result, control);
    return result;
  } finally {
    x?.dispose();
    session.dispose();
  }
}
