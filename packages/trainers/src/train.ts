import * as tf from '@tensorflow/tfjs-core';
import { type DataMatrix, type RandomState, SeededRandom } from '@trientropy/data';
import type { VaeModel } from '@trientropy/models';
import type { BetaSchedule } from './beta-schedule.js';
import { captureAdamState, restoreAdamState } from './checkpoint/adam-state.js';
import type { TrainingCheckpoint } from './checkpoint/training-checkpoint.js';
import type { EpochRecord } from './epoch-record.js';
import { evaluateVae } from './evaluate.js';
import { type LearningRateSchedule, constantSchedule, setLearningRate } from './learning-rate-schedule.js';
import { NonFiniteLossError } from './non-finite-loss-error.js';
import { type ParameterGroup, resolveParameterGroups } from './parameter-groups.js';
import { ParameterSnapshot } from './parameter-snapshot.js';
import { TrainControl } from './train-control.js';
import { type GroupOptimizer, trainingStep } from './training-step.js';

/**
 * How the variance parameters with a closed-form optimum (σ²; α² of VAE-2; the scale of VAE-3's σ²(z)) are
 * learned (spec §5.2, `VaeModel.setOptimalVariances`).
 * - `'gradient'`: by Adam, like every other parameter.
 * - `'closed-form-per-epoch'`: by Adam during the epoch, then set to their closed-form optimum (σ² ← R/D …)
 *   on the whole training set before the epoch's evaluation. This is a coordinate-ascent step: it raises the
 *   ELBO and removes the σ² part of the gap, `(D/2)(1 − R/(Dσ²))` (spec §6.2), which constant-rate Adam
 *   leaves jumping by a few per cent from epoch to epoch.
 * - `'closed-form-per-step'`: set to their closed form on each minibatch after every Adam step (the paper's
 *   "optimal variances" mode). Costs one device read per step.
 * Variants without such parameters (VAE-0, Bernoulli decoders) ignore the closed-form modes.
 */
export type VarianceUpdate = 'gradient' | 'closed-form-per-epoch' | 'closed-form-per-step';

const VARIANCE_UPDATES: readonly VarianceUpdate[] = ['gradient', 'closed-form-per-epoch', 'closed-form-per-step'];

/** Progress of one optimisation step, passed to {@link TrainCallbacks.onBatchEnd}. */
export interface BatchInfo {
  epoch: number;
  /** Batch index within the epoch, from 0. */
  batch: number;
  batchesPerEpoch: number;
  /** Global step, from 1. */
  step: number;
}

/** Hooks into training. Each receives a {@link TrainControl} whose `stop(reason)` ends training early. */
export interface TrainCallbacks {
  onTrainStart?(info: { epochs: number; batchesPerEpoch: number; startEpoch: number }, control: TrainControl): void | Promise<void>;
  onEpochStart?(epoch: number, control: TrainControl): void | Promise<void>;
  /** Called after every step; keep it cheap (no tensor reads). */
  onBatchEnd?(info: BatchInfo, control: TrainControl): void | Promise<void>;
  onEpochEnd?(record: EpochRecord, control: TrainControl): void | Promise<void>;
  onTrainEnd?(result: TrainResult, control: TrainControl): void | Promise<void>;
}

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
export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /** Adam's learning rate, or a schedule of it over the steps (see {@link cosineSchedule}). */
  learningRate: number | LearningRateSchedule;
  /** Seeds shuffling and every Monte-Carlo sample. */
  seed: number;
  /** Samples of z per data point in each training step. Default 1. */
  samples?: number;
  /** KL weight β (a number or a schedule such as {@link linearKlAnnealing}). Default 1, the ELBO. */
  beta?: number | BetaSchedule;
  /** Variables trained with their own learning rate and Adam state; the rest form the default group. */
  parameterGroups?: ParameterGroup[];
  /** Clip the global L2 norm of the gradients to this value. Default: no clipping. */
  gradientClipNorm?: number;
  /** Default 'closed-form-per-epoch'. */
  varianceUpdate?: VarianceUpdate;
  /** Monte-Carlo samples and batch size of the per-epoch evaluation. Defaults 10 and 2000. */
  evaluation?: { samples?: number; batchSize?: number };
  callbacks?: TrainCallbacks | TrainCallbacks[];
  checkpoint?: CheckpointOptions;
  /** Continue the run that wrote this checkpoint (same data, batch size, samples and seed). */
  resumeFrom?: TrainingCheckpoint;
}

/** What {@link trainVae} returns. */
export interface TrainResult {
  epochs: EpochRecord[];
  /** The last epoch's evaluation. */
  final: EpochRecord;
  /** Global steps done. */
  steps: number;
  /** Set when a callback stopped training early. */
  stopReason?: string;
}

function positiveInteger(value: number, argument: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${argument}: expected a positive integer, got ${String(value)}`);
  return value;
}

function positiveNumber(value: number, argument: string): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`${argument}: expected a finite number > 0, got ${String(value)}`);
  return value;
}

function toSchedule(rate: number | LearningRateSchedule, argument: string): LearningRateSchedule {
  return typeof rate === 'function' ? rate : constantSchedule(positiveNumber(rate, argument));
}

/** Lets timers (progress bars) and the browser's event loop run during long synchronous training. */
class EventLoopYielder {
  private last = Date.now();

  async maybeYield(): Promise<void> {
    if (Date.now() - this.last < 50) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.last = Date.now();
  }
}

function toTensor(data: DataMatrix | tf.Tensor2D): tf.Tensor2D {
  if (data instanceof tf.Tensor) return tf.clone(data);
  return tf.tensor2d(data.values, [data.rows, data.cols], 'float32');
}

/** Runs every callback list's hook in order. */
function combineCallbacks(callbacks: TrainCallbacks | TrainCallbacks[] | undefined): Required<TrainCallbacks> {
  const list = callbacks === undefined ? [] : Array.isArray(callbacks) ? callbacks : [callbacks];
  const run =
    <K extends keyof TrainCallbacks>(key: K) =>
    async (...args: Parameters<Required<TrainCallbacks>[K]>) => {
      for (const c of list) await (c[key] as ((...a: typeof args) => void | Promise<void>) | undefined)?.(...args);
    };
  return {
    onTrainStart: run('onTrainStart'),
    onEpochStart: run('onEpochStart'),
    onBatchEnd: run('onBatchEnd'),
    onEpochEnd: run('onEpochEnd'),
    onTrainEnd: run('onTrainEnd'),
  };
}

function checkResumable(checkpoint: TrainingCheckpoint, model: VaeModel, variables: tf.Variable[], run: TrainingCheckpoint['run'], groups: number): void {
  const mismatch = (what: string, expected: unknown, actual: unknown) => new Error(`resumeFrom: the checkpoint's ${what} is ${String(actual)}, this run's is ${String(expected)}`);
  if (checkpoint.modelKind !== model.kind) throw mismatch('model kind', model.kind, checkpoint.modelKind);
  for (const key of ['rows', 'batchSize', 'samples', 'seed'] as const) if (checkpoint.run[key] !== run[key]) throw mismatch(key, run[key], checkpoint.run[key]);
  if (checkpoint.variables.length !== variables.length) throw mismatch('number of variables', variables.length, checkpoint.variables.length);
  checkpoint.variables.forEach((saved, i) => {
    const shape = variables[i]!.shape;
    if (saved.shape.join('×') !== shape.join('×')) throw mismatch(`variables[${i}] (${saved.name}) shape`, shape.join('×'), saved.shape.join('×'));
  });
  if (checkpoint.optimizers.length !== groups) throw mismatch('number of parameter groups', groups, checkpoint.optimizers.length);
}

/**
 * Trains a VAE by maximising the Monte-Carlo ELBO with minibatch Adam (`tf.train.adam`), shuffling with a
 * seeded generator each epoch, and evaluates ELBO and entropy sum on the full training set after every epoch.
 *
 * A non-finite loss stops training with a {@link NonFiniteLossError}; the model is then restored to the end
 * of the last epoch whose losses were all finite, and no checkpoint with non-finite values is written. With
 * `checkpoint`, the full training state is handed to `checkpoint.write` every `everySteps` steps and at every
 * epoch's end; `resumeFrom` continues such a run and ends, bit for bit on the cpu backend, where the
 * uninterrupted run would have. No tensor outlives the call.
 */
export async function trainVae(model: VaeModel, data: DataMatrix | tf.Tensor2D, options: TrainOptions): Promise<TrainResult> {
  const epochs = positiveInteger(options.epochs, 'epochs');
  const batchSize = positiveInteger(options.batchSize, 'batchSize');
  const schedule = toSchedule(options.learningRate, 'learningRate');
  const samples = positiveInteger(options.samples ?? 1, 'samples');
  if (!Number.isInteger(options.seed)) throw new Error(`seed: expected an integer, got ${String(options.seed)}`);
  const betaOption = options.beta ?? 1;
  const betaAt: BetaSchedule = typeof betaOption === 'function' ? betaOption : () => betaOption;
  if (typeof betaOption === 'number' && !(betaOption >= 0 && Number.isFinite(betaOption))) throw new Error(`beta: expected a finite number ≥ 0, got ${String(betaOption)}`);
  const clipNorm = options.gradientClipNorm === undefined ? undefined : positiveNumber(options.gradientClipNorm, 'gradientClipNorm');
  const checkpointEvery = options.checkpoint?.everySteps === undefined ? undefined : positiveInteger(options.checkpoint.everySteps, 'checkpoint.everySteps');
  const varianceUpdate = options.varianceUpdate ?? 'closed-form-per-epoch';
  if (!VARIANCE_UPDATES.includes(varianceUpdate)) throw new Error(`varianceUpdate: expected one of ${VARIANCE_UPDATES.join(', ')}, got ${String(varianceUpdate)}`);
  const evaluationSamples = positiveInteger(options.evaluation?.samples ?? 10, 'evaluation.samples');
  const evaluationBatchSize = positiveInteger(options.evaluation?.batchSize ?? 2000, 'evaluation.batchSize');
  const variables = model.trainableVariables();
  const groups = resolveParameterGroups(variables, options.parameterGroups ?? [], schedule, toSchedule);
  const x = toTensor(data);
  const n = x.shape[0];
  if (x.shape[1] !== model.dataDim) {
    x.dispose();
    throw new Error(`data: expected ${model.dataDim} columns (the model's dataDim), got ${x.shape[1]}`);
  }
  if (n === 0) {
    x.dispose();
    throw new Error('data: expected at least one row, got 0');
  }
  const run = { rows: n, batchSize, epochs, samples, seed: options.seed };
  const resume = options.resumeFrom;
  if (resume !== undefined) {
    try {
      checkResumable(resume, model, variables, run, groups.length);
    } catch (error) {
      x.dispose();
      throw error;
    }
  }

  const callbacks = combineCallbacks(options.callbacks);
  const control = new TrainControl();
  const batchesPerEpoch = Math.ceil(n / batchSize);
  const totalSteps = epochs * batchesPerEpoch;
  const optimizers: GroupOptimizer[] = groups.map((g) => ({ variables: g.variables, optimizer: tf.train.adam(positiveNumber(g.schedule({ step: 1, totalSteps }), `learning rate of group '${g.name}'`)) }));
  const yielder = new EventLoopYielder();
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
  const snapshot = new ParameterSnapshot(variables);

  const writeCheckpoint = async (epoch: number, batchesDone: number, lossSum: number): Promise<void> => {
    if (options.checkpoint === undefined) return;
    const checkpoint: TrainingCheckpoint = {
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
    };
    await options.checkpoint.write(checkpoint);
  };

  /** Reads the running loss and checks every parameter is finite (one device read). */
  const readHealth = async (lossSum: tf.Scalar): Promise<{ loss: number; finite: boolean }> => {
    const finite = tf.tidy(() => tf.all(tf.stack(variables.map((v) => tf.all(tf.isFinite(v))))));
    const [loss, ok] = await Promise.all([lossSum.data(), finite.data()]);
    finite.dispose();
    return { loss: loss[0] as number, finite: Number.isFinite(loss[0]) && ok[0] === 1 };
  };

  try {
    await callbacks.onTrainStart({ epochs, batchesPerEpoch, startEpoch }, control);
    for (let epoch = startEpoch; epoch <= epochs && control.stopReason === undefined; epoch++) {
      const resuming = epoch === startEpoch && startBatch > 0;
      if (!resuming) epochStartState = rng.getState();
      const order = tf.tensor1d(resuming ? SeededRandom.fromState(epochStartState).permutation(n) : rng.permutation(n), 'int32');
      await callbacks.onEpochStart(epoch, control);
      // The loss is summed on the device and read once per epoch (and at checkpoints), so steps never wait.
      let lossSum: tf.Scalar = tf.scalar(resuming ? startLossSum : 0);
      const firstStep = step + 1;
      try {
        for (let batch = resuming ? startBatch : 0; batch < batchesPerEpoch; batch++) {
          const start = batch * batchSize;
          const size = Math.min(batchSize, n - start);
          const seed = rng.nextSeed();
          const progress = { step: step + 1, totalSteps };
          groups.forEach((g, i) => setLearningRate(optimizers[i]!.optimizer, positiveNumber(g.schedule(progress), `learning rate of group '${g.name}'`)));
          const beta = betaAt(progress);
          const xb = tf.tidy(() => tf.gather(x, tf.slice(order, [start], [size])));
          const loss = trainingStep(model, xb, optimizers, { seed, samples, beta, clipNorm });
          if (varianceUpdate === 'closed-form-per-step') model.setOptimalVariances(xb, { seed, samples });
          xb.dispose();
          const previous = lossSum;
          lossSum = tf.add(previous, loss);
          tf.dispose([previous, loss]);
          step += 1;
          await callbacks.onBatchEnd({ epoch, batch, batchesPerEpoch, step }, control);
          if (control.stopReason !== undefined) break;
          if (checkpointEvery !== undefined && step % checkpointEvery === 0 && batch < batchesPerEpoch - 1) {
            const health = await readHealth(lossSum);
            if (!health.finite) {
              snapshot.restore();
              throw new NonFiniteLossError(epoch, firstStep, step, epoch - 1);
            }
            await writeCheckpoint(epoch, batch + 1, health.loss);
          }
          await yielder.maybeYield();
        }
      } finally {
        order.dispose();
      }
      const health = await readHealth(lossSum);
      lossSum.dispose();
      if (!health.finite) {
        snapshot.restore();
        throw new NonFiniteLossError(epoch, firstStep, step, epoch - 1);
      }
      if (varianceUpdate === 'closed-form-per-epoch') {
        model.setOptimalVariances(x, { seed: rng.nextSeed(), samples: evaluationSamples, batchSize: evaluationBatchSize });
      }
      const evaluation = await evaluateVae(model, x, { seed: rng.nextSeed(), samples: evaluationSamples, batchSize: evaluationBatchSize });
      if (!Number.isFinite(evaluation.elbo) || !Number.isFinite(evaluation.entropySum)) {
        snapshot.restore();
        throw new NonFiniteLossError(epoch, firstStep, step, epoch - 1);
      }
      snapshot.update();
      const record: EpochRecord = { epoch, ...evaluation };
      records.push(record);
      await callbacks.onEpochEnd(record, control);
      await writeCheckpoint(epoch, batchesPerEpoch, 0);
    }
    const result: TrainResult = { epochs: records, final: records[records.length - 1]!, steps: step };
    if (control.stopReason !== undefined) result.stopReason = control.stopReason;
    await callbacks.onTrainEnd(result, control);
    return result;
  } finally {
    x.dispose();
    snapshot.dispose();
    for (const g of optimizers) g.optimizer.dispose();
  }
}
