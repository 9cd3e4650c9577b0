import * as tf from '@tensorflow/tfjs-core';
import { generatePca } from '@trientropy/data';
import { Vae1 } from '@trientropy/models';
import { parseCheckpoint, serializeCheckpoint } from './checkpoint/checkpoint-format.js';
import type { TrainingCheckpoint } from './checkpoint/training-checkpoint.js';
import { cosineSchedule } from './learning-rate-schedule.js';
import { type TrainOptions, trainVae } from './train.js';

const data = generatePca({ n: 120, seed: 8 }).data;

async function parameters(model: Vae1): Promise<number[][]> {
  return Promise.all(model.trainableVariables().map(async (v) => Array.from(await v.data())));
}

describe('checkpoints and resume', () => {
  // 120 rows / 25 = 5 batches per epoch (the last one partial); 3 epochs = 15 steps.
  const options = (): TrainOptions => ({ epochs: 3, batchSize: 25, learningRate: cosineSchedule(5e-3), seed: 4, evaluation: { samples: 2 } });

  it('resumes from any checkpoint, mid-epoch or at an epoch end, to the same final parameters bit for bit', async () => {
    const checkpoints: TrainingCheckpoint[] = [];
    const reference = new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [5], seed: 1 });
    const full = await trainVae(reference, data, { ...options(), checkpoint: { everySteps: 2, write: async (c) => void checkpoints.push(parseCheckpoint(serializeCheckpoint(c))) } });
    const expected = await parameters(reference);
    reference.dispose();
    // Mid-epoch at steps 2, 4, 6, 8, 12, 14 (step 10 ends epoch 2), plus one at the end of each epoch.
    expect(checkpoints.map((c) => `${c.progress.epoch}:${c.progress.batchesDone}`)).toEqual(['1:2', '1:4', '1:5', '2:1', '2:3', '2:5', '3:2', '3:4', '3:5']);

    for (const index of [1, 3, 5]) {
      // A model with other initial values: everything must come from the checkpoint.
      const resumed = new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [5], seed: 99 });
      const before = tf.memory().numTensors;
      const result = await trainVae(resumed, data, { ...options(), resumeFrom: checkpoints[index]! });
      expect(tf.memory().numTensors).toBe(before);
      expect(await parameters(resumed)).toEqual(expected);
      expect(result.epochs.map((e) => e.elbo)).toEqual(full.epochs.map((e) => e.elbo));
      expect(result.steps).toBe(15);
      resumed.dispose();
    }
  });

  it('a stop requested mid-epoch checkpoints that batch, unclosed: resuming from it is the uninterrupted run bit for bit', async () => {
    const reference = new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [5], seed: 1 });
    const full = await trainVae(reference, data, options());
    const expected = await parameters(reference);
    reference.dispose();

    const checkpoints: TrainingCheckpoint[] = [];
    const stopped = new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [5], seed: 1 });
    // Step 7 is batch 2 of epoch 2's 5; no periodic checkpoints, so the only mid-epoch one is the stop's.
    const stopAtStep7 = { onBatchEnd: ({ step }: { step: number }, control: { stop(reason: string): void }) => (step === 7 ? control.stop('test stop') : undefined) };
    const before = tf.memory().numTensors;
    const interrupted = await trainVae(stopped, data, { ...options(), callbacks: [stopAtStep7], checkpoint: { write: async (c) => void checkpoints.push(parseCheckpoint(serializeCheckpoint(c))) } });
    expect(tf.memory().numTensors).toBe(before);
    stopped.dispose();
    expect(interrupted.stopReason).toBe('test stop');
    expect(interrupted.steps).toBe(7);
    expect(checkpoints.map((c) => `${c.progress.epoch}:${c.progress.batchesDone}`)).toEqual(['1:5', '2:2']);
    const last = checkpoints[checkpoints.length - 1]!;
    expect(last.records).toHaveLength(1);
    // The caller still gets the partial epoch closed, marked as such.
    expect(interrupted.epochs.map((e) => e.partial)).toEqual([undefined, { batchesDone: 2, batchesPerEpoch: 5 }]);

    const resumed = new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [5], seed: 99 });
    const result = await trainVae(resumed, data, { ...options(), resumeFrom: last });
    expect(await parameters(resumed)).toEqual(expected);
    expect(result.epochs).toEqual(full.epochs);
    expect(result.steps).toBe(15);
    resumed.dispose();
  });

  it('refuses a checkpoint of another run configuration', async () => {
    const checkpoints: TrainingCheckpoint[] = [];
    const model = new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [5], seed: 1 });
    await trainVae(model, data, { ...options(), epochs: 1, checkpoint: { write: async (c) => void checkpoints.push(c) } });
    await expect(trainVae(model, data, { ...options(), batchSize: 30, resumeFrom: checkpoints[0]! })).rejects.toThrow("resumeFrom: the checkpoint's batchSize is 25, this run's is 30");
    const other = new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [6], seed: 1 });
    await expect(trainVae(other, data, { ...options(), resumeFrom: checkpoints[0]! })).rejects.toThrow(/resumeFrom: the checkpoint's variables\[\d\] .* shape is/);
    model.dispose();
    other.dispose();
  });

  it('writes no checkpoint with non-finite parameters', async () => {
    class Exploding extends Vae1 {
      calls = 0;
      override elbo(x: tf.Tensor, o: { seed: number; samples?: number }) {
        const terms = super.elbo(x, o);
        this.calls += 1;
        return this.calls === 3 ? { ...terms, elbo: tf.mul(terms.elbo, tf.scalar(Number.POSITIVE_INFINITY)) as tf.Scalar } : terms;
      }
    }
    const model = new Exploding({ dataDim: 10, latentDim: 2, hiddenSizes: [5], seed: 1 });
    const written: TrainingCheckpoint[] = [];
    await expect(trainVae(model, data, { ...options(), varianceUpdate: 'gradient', checkpoint: { everySteps: 1, write: async (c) => void written.push(c) } })).rejects.toThrow(
      /non-finite loss in epoch 1 \(steps 1–3\)/,
    );
    expect(written.map((c) => c.progress.step)).toEqual([1, 2]);
    for (const c of written) for (const v of c.variables) expect(v.values.every(Number.isFinite)).toBe(true);
    model.dispose();
  });
});
