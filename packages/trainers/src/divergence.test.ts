import * as tf from '@tensorflow/tfjs-core';
import { generatePca } from '@trientropy/data';
import { Vae1 } from '@trientropy/models';
import type { TrainingCheckpoint } from './checkpoint/training-checkpoint.js';
import { evaluationBatchRows } from './evaluation-batch.js';
import { NonFiniteLossError } from './non-finite-loss-error.js';
import { type TrainOptions, trainVae } from './train.js';

const data = generatePca({ n: 40, seed: 3 }).data;
const model = () => new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [4], seed: 2 });
// 40 rows / 10 = 4 batches per epoch.
const base: TrainOptions = { epochs: 3, batchSize: 10, learningRate: 1e-3, seed: 5, evaluation: { samples: 1 }, varianceUpdate: 'gradient' };

function recorder() {
  const written: TrainingCheckpoint[] = [];
  let removed = 0;
  return { written, removed: () => removed, sink: { write: async (c: TrainingCheckpoint) => void written.push(c), remove: async () => void (removed += 1) } };
}

async function values(m: Vae1): Promise<number[][]> {
  return Promise.all(m.trainableVariables().map(async (v) => Array.from(await v.data())));
}

describe('divergence and failed steps', () => {
  it('treats an exploding σ² (3e34, finite) as divergence: restores epoch 1 and rewrites its checkpoint', async () => {
    const m = model();
    const { written, sink } = recorder();
    let good: number[][] = [];
    const run = trainVae(m, data, {
      ...base,
      checkpoint: { everySteps: 1, ...sink },
      callbacks: {
        onEpochEnd: async () => void (good = await values(m)),
        onBatchEnd: ({ epoch, batch }) => {
          if (epoch === 2 && batch === 1) m.setDecoderVariance(3e34);
        },
      },
    });
    await expect(run).rejects.toThrow(/^diverging decoder variance \(σ² = 3\.00e\+34\) in epoch 2 \(steps 5–6\); .*restored to the end of epoch 1/);
    expect(await values(m)).toEqual(good);
    const last = written[written.length - 1]!;
    expect(`${last.progress.epoch}:${last.progress.batchesDone}`).toBe('1:4');
    m.dispose();
  });

  it('treats R = ∞ at the end of an epoch (closed-form σ² update) as divergence, not an argument error', async () => {
    const m = model();
    const run = trainVae(m, data, {
      ...base,
      varianceUpdate: 'closed-form-per-epoch',
      callbacks: {
        onBatchEnd: ({ epoch, batch }) => {
          if (epoch === 2 && batch === 3) for (const [name, v] of Object.entries(m.namedVariables())) if (name.startsWith('decoder/')) v.assign(tf.fill(v.shape, 1e19));
        },
      },
    });
    await expect(run).rejects.toThrow(NonFiniteLossError);
    await expect(run).rejects.toThrow(/^(diverged \(.*finite reconstruction error R.*\)|non-finite evaluation) in epoch 2 .*restored to the end of epoch 1/);
    m.dispose();
  });

  it('in epoch 1, removes the checkpoints of the diverged epoch (no earlier good one exists)', async () => {
    const m = model();
    const { written, removed, sink } = recorder();
    const run = trainVae(m, data, { ...base, checkpoint: { everySteps: 1, ...sink }, callbacks: { onBatchEnd: ({ batch }) => (batch === 2 ? m.setDecoderVariance(1e35) : undefined) } });
    await expect(run).rejects.toThrow(/in epoch 1 .*restored to their initial values/);
    expect(written.length).toBe(2);
    expect(removed()).toBe(1);
    m.dispose();
  });

  it('after a mid-epoch resume, a failure in that epoch names the checkpoint it restored', async () => {
    const m = model();
    const { written, sink } = recorder();
    await trainVae(m, data, { ...base, epochs: 2, checkpoint: { everySteps: 2, ...sink } });
    const mid = written.find((c) => c.progress.epoch === 2 && c.progress.batchesDone === 2)!;
    const resumed = model();
    const run = trainVae(resumed, data, { ...base, epochs: 2, resumeFrom: mid, callbacks: { onBatchEnd: ({ batch }) => (batch === 3 ? resumed.setDecoderVariance(1e35) : undefined) } });
    await expect(run).rejects.toThrow(/restored to the resumed checkpoint \(epoch 2, step 6\)/);
    const error = (await run.catch((e: unknown) => e)) as NonFiniteLossError;
    expect(error.restoredTo).toEqual({ kind: 'checkpoint', epoch: 2, step: 6 });
    m.dispose();
    resumed.dispose();
  });

  it('a step that throws leaks no tensor', async () => {
    const m = model();
    const before = tf.memory().numTensors;
    const schedule = ({ step }: { step: number }) => (step === 3 ? Number.NaN : 1e-3);
    await expect(trainVae(m, data, { ...base, learningRate: schedule })).rejects.toThrow(/learning rate of group 'default': expected a finite number > 0, got NaN/);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });

  it('refuses to train one model in two calls at once', async () => {
    const m = model();
    const first = trainVae(m, data, { ...base, epochs: 1 });
    await expect(trainVae(m, data, { ...base, epochs: 1 })).rejects.toThrow('model: this vae-1 model is already being trained by another trainVae/trainVaeOnStream call');
    await first;
    await expect(trainVae(m, data, { ...base, epochs: 1 })).resolves.toBeDefined();
    m.dispose();
  });

  it('adapts evaluation batches to the sample count (no "memory access out of bounds" with 100 000 samples)', () => {
    const m = model();
    expect(evaluationBatchRows(m, 10, undefined, 2000)).toBe(2000);
    expect(evaluationBatchRows(m, 100_000, undefined, 2000)).toBe(16);
    expect(evaluationBatchRows(m, 1e9, undefined, 2000)).toBe(1);
    expect(evaluationBatchRows(m, 100_000, 500, 2000)).toBe(500);
    m.dispose();
  });
});
