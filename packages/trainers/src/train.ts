import * as tf from '@tensorflow/tfjs-core';
import { type DataMatrix, type RandomState, SeededRandom } from '@trientropy/data';
import type { VaeModel } from '@trientropy/models';
import { captureAdamState, restoreAdamState } from './checkpoint/adam-state.js';
import type { TrainingCheckpoint } from './checkpoint/training-checkpoint.js';
import type { EpochRecord } from './epoch-record.js';
import { HostBatches, hostValues } from './host-batches.js';
import { NonFiniteLossError } from './non-finite-loss-error.js';
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
  /**
   * Deletes the stored checkpoint: called when training diverges in its first epoch after mid-epoch
   * checkpoints were written, so that no checkpoint of the diverged epoch survives (there is no earlier good one).
   */
  remove?: () => Promise<void>;
}

/** Options of {@link trainVae}. */
export interface TrainOptions extends CommonTrainOptions {
  batchSize: number;
  checkpoint?: CheckpointOptions;
  /** Continue the run that wrote this checkpoint (same data, batch size, samples and seed). */
  resumeFrom?: TrainingCheckpoint;
}

/** JSON of a config with keys sorted, for comparing a checkpoint's model config with the model's. */
function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));
}

/**
 * Checks that `checkpoint` (already schema-checked by `parseCheckpoint` when it came from text) belongs to
 * this run and this model: same kind and config, run settings, position within this run's epochs, every
 * variable's shape, and Adam state for every variable of every group with the variable's size.
 */
function checkResumable(checkpoint: TrainingCheckpoint, session: TrainingSession, run: TrainingCheckpoint['run'], batchesPerEpoch: number): void {
  const mismatch = (what: string, expected: unknown, actual: unknown) => new Error(`resumeFrom: the checkpoint's ${what} is ${String(actual)}, this run's is ${String(expected)}`);
  if (typeof checkpoint !== 'object' || checkpoint === null || !Array.isArray(checkpoint.variables) || !Array.isArray(checkpoint.optimizers) || typeof checkpoint.progress !== 'object' || typeof checkpoint.run !== 'object') {
    throw new Error('resumeFrom: expected a TrainingCheckpoint (from parseCheckpoint or readCheckpointFile) with variables, optimizers, progress and run');
  }
  if (checkpoint.modelKind !== session.model.kind) throw mismatch('model kind', session.model.kind, checkpoint.modelKind);
  for (const key of ['rows', 'batchSize', 'samples', 'seed'] as const) if (checkpoint.run[key] !== run[key]) throw mismatch(key, run[key], checkpoint.run[key]);
  const { progress } = checkpoint;
  if (progress.batchesPerEpoch !== batchesPerEpoch) throw mismatch('batches per epoch', batchesPerEpoch, progress.batchesPerEpoch);
  if (!Number.isInteger(progress.epoch) || progress.epoch < 1 || progress.epoch > run.epochs) throw mismatch('epoch', `1…${run.epochs}`, progress.epoch);
  if (!Number.isInteger(progress.batchesDone) || progress.batchesDone < 0 || progress.batchesDone > batchesPerEpoch) throw mismatch('batches done in its epoch', `0…${batchesPerEpoch}`, progress.batchesDone);
  const maxStep = (progress.epoch - 1) * batchesPerEpoch + progress.batchesDone;
  if (!Number.isInteger(progress.step) || progress.step < 0 || progress.step > maxStep) throw mismatch('step', `0…${maxStep}`, progress.step);
  const variables = session.variables;
  if (checkpoint.variables.length !== variables.length) throw mismatch('number of variables', variables.length, checkpoint.variables.length);
  checkpoint.variables.forEach((saved, i) => {
    const shape = variables[i]!.shape;
    if (saved.shape.join('×') !== shape.join('×')) throw mismatch(`variables[${i}] (${saved.name}) shape`, shape.join('×'), saved.shape.join('×'));
    if (saved.values.length !== variables[i]!.size) throw mismatch(`variables[${i}] (${saved.name}) number of values`, variables[i]!.size, saved.values.length);
  });
  // The initialisation seed does not matter once the weights come from the checkpoint; the architecture
  // and everything else (activation, variance model, constraints) must match.
  const { seed: _ownSeed, ...config } = ((session.model as { config?: Record<string, unknown> }).config ?? {});
  if (checkpoint.modelConfig !== undefined) {
    const { seed: _savedSeed, ...saved } = checkpoint.modelConfig;
    if (sortedJson(saved) !== sortedJson(config)) throw mismatch('model config', sortedJson(config), sortedJson(saved));
  }
  if (checkpoint.optimizers.length !== session.groups.length) throw mismatch('number of parameter groups', session.groups.length, checkpoint.optimizers.length);
  checkpoint.optimizers.forEach((state, g) => {
    const group = session.groups[g]!.variables;
    if (state.iterations > progress.step) throw mismatch(`optimizers[${g}].iterations`, `at most the step ${progress.step}`, state.iterations);
    for (const [kind, moments] of [['firstMoments', state.firstMoments], ['secondMoments', state.secondMoments]] as const) {
      if (moments.length === 0 && state.iterations === 0) continue;
      if (moments.length !== group.length) throw mismatch(`optimizers[${g}].${kind} count`, group.length, moments.length);
      moments.forEach((m, i) => {
        if (m.length !== group[i]!.size) throw mismatch(`optimizers[${g}].${kind}[${i}] length`, group[i]!.size, m.length);
      });
    }
  });
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
 * uninterrupted run would have. A stop requested mid-epoch (`control.stop` from `onBatchEnd`) first writes a
 * checkpoint at that batch (resuming from it is exact too), then closes the partial epoch for the caller only:
 * its record, marked `partial`, is the last of the result and goes to `onEpochEnd`, but into no checkpoint.
 * No tensor outlives the call.
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
    if (resume !== undefined) checkResumable(resume, session, run, batchesPerEpoch);
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
    if (resume === undefined) session.initializeBias(x);
    session.start(records, resume === undefined ? undefined : startBatch > 0 ? { kind: 'checkpoint', epoch: startEpoch, step } : startEpoch === 1 ? undefined : { kind: 'epoch-end', epoch: startEpoch - 1 });

    // The checkpoint whose parameters a failure restores (written at an epoch's end, or resumed from), and
    // whether a later one was written since: on failure that later one is replaced by it.
    let lastGood: TrainingCheckpoint | undefined = resume;
    let writtenSinceGood = false;
    const modelConfig = (model as { config?: unknown }).config;
    const writeCheckpoint = async (epoch: number, batchesDone: number, lossSum: number): Promise<TrainingCheckpoint | undefined> => {
      if (options.checkpoint === undefined) return undefined;
      const checkpoint: TrainingCheckpoint = {
        version: 1,
        createdAt: new Date().toISOString(),
        modelKind: model.kind,
        ...(modelConfig === undefined ? {} : { modelConfig: JSON.parse(JSON.stringify(modelConfig)) as Record<string, unknown> }),
        variables: await Promise.all(variables.map(async (v) => ({ name: v.name, shape: [...v.shape], values: new Float32Array(await v.data()) }))),
        optimizers: await Promise.all(optimizers.map((g) => captureAdamState(g.optimizer))),
        random: { current: rng.getState(), epochStart: epochStartState },
        progress: { epoch, batchesDone, batchesPerEpoch, step, lossSum },
        run,
        records: [...records],
        metadata: options.checkpoint.metadata ?? {},
      };
      await options.checkpoint.write(checkpoint);
      return checkpoint;
    };
    const keepLastGoodCheckpoint = async (): Promise<void> => {
      if (!writtenSinceGood || options.checkpoint === undefined) return;
      if (lastGood !== undefined) await options.checkpoint.write(lastGood);
      else await options.checkpoint.remove?.();
      writtenSinceGood = false;
    };

    // Batches done in the epoch a stop request ended early (undefined while epochs run to their end).
    let stoppedAfter: number | undefined;
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
          let loss: tf.Scalar;
          try {
            loss = session.step(xb, seed, step + 1);
          } finally {
            xb.dispose();
          }
          const previous = lossSum;
          lossSum = tf.add(previous, loss);
          tf.dispose([previous, loss]);
          step += 1;
          await callbacks.onBatchEnd({ epoch, batch, batchesPerEpoch, step }, control);
          const stopping = control.stopReason !== undefined;
          if (stopping && batch < batchesPerEpoch - 1) {
            // A stop mid-epoch: the position (batch, loss so far, optimiser and generator state) is saved as it
            // is, before the epoch is closed for the caller below, so a resumed run continues with the next batch
            // and no closed-form step of the uninterrupted run's epoch end happens early.
            stoppedAfter = batch + 1;
            if (options.checkpoint !== undefined) {
              const health = await session.health(lossSum, batch + 1);
              if (!health.finite) session.fail(epoch, firstStep, step, health.problem);
              lastGood = await writeCheckpoint(epoch, batch + 1, health.loss);
              writtenSinceGood = false;
            }
            break;
          }
          if (stopping) break;
          if (checkpointEvery !== undefined && step % checkpointEvery === 0 && batch < batchesPerEpoch - 1) {
            const health = await session.health(lossSum, batch + 1);
            if (!health.finite) session.fail(epoch, firstStep, step, health.problem);
            await writeCheckpoint(epoch, batch + 1, health.loss);
            writtenSinceGood = true;
          }
          await session.maybeYield();
        }
        const health = await session.health(lossSum, stoppedAfter ?? batchesPerEpoch);
        if (!health.finite) session.fail(epoch, firstStep, step, health.problem);
      } catch (error) {
        if (error instanceof NonFiniteLossError) await keepLastGoodCheckpoint();
        throw error;
      } finally {
        lossSum.dispose();
      }
      let record: EpochRecord;
      try {
        record = await session.endEpoch(x, rng, epoch, firstStep, step);
      } catch (error) {
        if (error instanceof NonFiniteLossError) await keepLastGoodCheckpoint();
        throw error;
      }
      if (stoppedAfter !== undefined) {
        // Closed for the caller (the model in memory, the result, onEpochEnd) but not checkpointed: the checkpoint
        // stays at the saved mid-epoch position, and its records do not include this partial epoch.
        record.partial = { batchesDone: stoppedAfter, batchesPerEpoch };
        records.push(record);
        await callbacks.onEpochEnd(record, control);
        break;
      }
      records.push(record);
      await callbacks.onEpochEnd(record, control);
      lastGood = (await writeCheckpoint(epoch, batchesPerEpoch, 0)) ?? lastGood;
      writtenSinceGood = false;
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
