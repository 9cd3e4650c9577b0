import * as tf from '@tensorflow/tfjs-core';
import { type DataMatrix, SeededRandom } from '@trientropy/data';
import type { VaeModel } from '@trientropy/models';
import { type Evaluation, evaluateVae } from './evaluate.js';
import { type LearningRateSchedule, constantSchedule, setLearningRate } from './learning-rate-schedule.js';
import { NonFiniteLossError } from './non-finite-loss-error.js';
import { ParameterSnapshot } from './parameter-snapshot.js';

/**
 * How the decoder variance σ² is learned.
 * - `'gradient'`: by Adam, like every other parameter.
 * - `'closed-form-per-epoch'`: by Adam during the epoch, then set to its closed-form optimum `R/D` on the
 *   whole training set before the epoch's evaluation (spec §5.2). This is a coordinate-ascent step on σ²:
 *   it raises the ELBO and removes the σ² part of the gap, `(D/2)(1 − R/(Dσ²))` (spec §6.2), which constant-rate
 *   Adam leaves jumping by a few per cent from epoch to epoch.
 */
export type DecoderVarianceUpdate = 'gradient' | 'closed-form-per-epoch';

/** Progress of one optimisation step, passed to {@link TrainCallbacks.onBatchEnd}. */
export interface BatchInfo {
  epoch: number;
  /** Batch index within the epoch, from 0. */
  batch: number;
  batchesPerEpoch: number;
  /** Global step, from 1. */
  step: number;
}

/** One epoch's evaluation on the full training set. */
export interface EpochRecord extends Evaluation {
  epoch: number;
}

export interface TrainCallbacks {
  onTrainStart?(info: { epochs: number; batchesPerEpoch: number }): void | Promise<void>;
  onEpochStart?(epoch: number): void | Promise<void>;
  /** Called after every step; keep it cheap (no tensor reads). */
  onBatchEnd?(info: BatchInfo): void | Promise<void>;
  onEpochEnd?(record: EpochRecord): void | Promise<void>;
  onTrainEnd?(result: TrainResult): void | Promise<void>;
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
  /** Default 'closed-form-per-epoch'. */
  decoderVarianceUpdate?: DecoderVarianceUpdate;
  /** Monte-Carlo samples and batch size of the per-epoch evaluation. Defaults 10 and 2000. */
  evaluation?: { samples?: number; batchSize?: number };
  callbacks?: TrainCallbacks;
}

export interface TrainResult {
  epochs: EpochRecord[];
  /** The last epoch's evaluation. */
  final: EpochRecord;
}

function positiveInteger(value: number, argument: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${argument}: expected a positive integer, got ${String(value)}`);
  return value;
}

function positiveNumber(value: number, argument: string): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`${argument}: expected a finite number > 0, got ${String(value)}`);
  return value;
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

/**
 * Trains a VAE by maximising the Monte-Carlo ELBO with minibatch Adam (`tf.train.adam`), shuffling with a
 * seeded generator each epoch, and evaluates ELBO and entropy sum on the full training set after every epoch.
 *
 * A non-finite loss stops training with a {@link NonFiniteLossError}; the model is then restored to the end
 * of the last epoch whose losses were all finite. No tensor outlives the call.
 */
export async function trainVae(model: VaeModel, data: DataMatrix | tf.Tensor2D, options: TrainOptions): Promise<TrainResult> {
  const epochs = positiveInteger(options.epochs, 'epochs');
  const batchSize = positiveInteger(options.batchSize, 'batchSize');
  const schedule = typeof options.learningRate === 'function' ? options.learningRate : constantSchedule(positiveNumber(options.learningRate, 'learningRate'));
  const samples = positiveInteger(options.samples ?? 1, 'samples');
  if (!Number.isInteger(options.seed)) throw new Error(`seed: expected an integer, got ${String(options.seed)}`);
  const varianceUpdate = options.decoderVarianceUpdate ?? 'closed-form-per-epoch';
  if (varianceUpdate !== 'gradient' && varianceUpdate !== 'closed-form-per-epoch') {
    throw new Error(`decoderVarianceUpdate: expected 'gradient' or 'closed-form-per-epoch', got ${String(varianceUpdate)}`);
  }
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

  const callbacks = options.callbacks ?? {};
  const rng = new SeededRandom(options.seed);
  const batchesPerEpoch = Math.ceil(n / batchSize);
  const totalSteps = epochs * batchesPerEpoch;
  const optimizer = tf.train.adam(positiveNumber(schedule({ step: 1, totalSteps }), 'learningRate'));
  const variables = model.trainableVariables();
  const snapshot = new ParameterSnapshot(variables);
  const yielder = new EventLoopYielder();
  const records: EpochRecord[] = [];
  let step = 0;
  try {
    await callbacks.onTrainStart?.({ epochs, batchesPerEpoch });
    for (let epoch = 1; epoch <= epochs; epoch++) {
      await callbacks.onEpochStart?.(epoch);
      const order = tf.tensor1d(rng.permutation(n), 'int32');
      // The loss is summed on the device and read once per epoch, so steps never wait for the backend.
      let lossSum: tf.Scalar = tf.scalar(0);
      const firstStep = step + 1;
      for (let batch = 0; batch < batchesPerEpoch; batch++) {
        const start = batch * batchSize;
        const size = Math.min(batchSize, n - start);
        const seed = rng.nextSeed();
        setLearningRate(optimizer, positiveNumber(schedule({ step: step + 1, totalSteps }), 'learningRate'));
        const loss = tf.tidy(() => {
          const xb = tf.gather(x, tf.slice(order, [start], [size]));
          return optimizer.minimize(() => tf.neg(model.elbo(xb, { seed, samples }).elbo), true, variables) as tf.Scalar;
        });
        const previous = lossSum;
        lossSum = tf.add(previous, loss);
        tf.dispose([previous, loss]);
        step += 1;
        await callbacks.onBatchEnd?.({ epoch, batch, batchesPerEpoch, step });
        await yielder.maybeYield();
      }
      order.dispose();
      const lossTotal = (await lossSum.data())[0] as number;
      lossSum.dispose();
      if (!Number.isFinite(lossTotal)) {
        snapshot.restore();
        throw new NonFiniteLossError(epoch, firstStep, step, epoch - 1);
      }
      if (varianceUpdate === 'closed-form-per-epoch') {
        const residual = await evaluateVae(model, x, { seed: rng.nextSeed(), samples: options.evaluation?.samples ?? 10, batchSize: options.evaluation?.batchSize ?? 2000 });
        model.setDecoderVariance(residual.squaredError / model.dataDim);
      }
      const evaluation = await evaluateVae(model, x, {
        seed: rng.nextSeed(),
        samples: options.evaluation?.samples ?? 10,
        batchSize: options.evaluation?.batchSize ?? 2000,
      });
      if (!Number.isFinite(evaluation.elbo) || !Number.isFinite(evaluation.entropySum)) {
        snapshot.restore();
        throw new NonFiniteLossError(epoch, firstStep, step, epoch - 1);
      }
      snapshot.update();
      const record: EpochRecord = { epoch, ...evaluation };
      records.push(record);
      await callbacks.onEpochEnd?.(record);
    }
    const result: TrainResult = { epochs: records, final: records[records.length - 1]! };
    await callbacks.onTrainEnd?.(result);
    return result;
  } finally {
    x.dispose();
    snapshot.dispose();
    optimizer.dispose();
  }
}
