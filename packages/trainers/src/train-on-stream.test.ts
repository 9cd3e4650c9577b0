import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { type DataMatrix, dataMatrix, generatePca } from '@trientropy/data';
import { csvBatches } from '@trientropy/data/node';
import { Vae1 } from '@trientropy/models';
import { cosineSchedule } from './learning-rate-schedule.js';
import { trainVaeOnStream } from './train-on-stream.js';

const { data } = generatePca({ n: 300, seed: 6 });
const heldOut = generatePca({ n: 100, seed: 6 }).data;

/** The rows of `matrix` in consecutive batches of `size`, once per iteration. */
function* batchesOf(matrix: DataMatrix, size: number): Generator<DataMatrix> {
  for (let start = 0; start < matrix.rows; start += size) {
    const rows = Math.min(size, matrix.rows - start);
    yield dataMatrix(matrix.values.slice(start * matrix.cols, (start + rows) * matrix.cols), rows, matrix.cols);
  }
}

const model = () => new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [6], seed: 1 });

describe('trainVaeOnStream', () => {
  it('trains one pass of the source per epoch, evaluates on the in-memory data, and leaks nothing', async () => {
    const vae = model();
    let passes = 0;
    const source = {
      *[Symbol.iterator]() {
        passes += 1;
        yield* batchesOf(data, 30);
      },
    };
    const before = tf.memory().numTensors;
    const result = await trainVaeOnStream(vae, source, { epochs: 4, learningRate: cosineSchedule(5e-3), batchesPerEpoch: 10, seed: 0, evaluationData: heldOut, evaluation: { samples: 2 } });
    expect(tf.memory().numTensors).toBe(before);
    expect(passes).toBe(4);
    expect(result.steps).toBe(40);
    expect(result.final.elbo).toBeGreaterThan(result.epochs[0]!.elbo);
    vae.dispose();
  });

  it('streams a CSV file from disk with csvBatches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trientropy-stream-'));
    try {
      const lines: string[] = [];
      for (let r = 0; r < data.rows; r++) lines.push(Array.from(data.values.subarray(r * 10, r * 10 + 10)).join(','));
      writeFileSync(join(dir, 'data.csv'), `${lines.join('\n')}\n`);
      const vae = model();
      const result = await trainVaeOnStream(vae, csvBatches(join(dir, 'data.csv'), { batchSize: 50, shuffleBuffer: 100, seed: 1 }), {
        epochs: 2,
        learningRate: 1e-3,
        seed: 0,
        evaluationData: heldOut,
        evaluation: { samples: 1 },
      });
      expect(result.steps).toBe(12);
      expect(Number.isFinite(result.final.entropySum)).toBe(true);
      vae.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a schedule without batchesPerEpoch, an empty source and a batch of the wrong width', async () => {
    const vae = model();
    const base = { epochs: 1, learningRate: 1e-3, seed: 0, evaluationData: heldOut };
    await expect(trainVaeOnStream(vae, batchesOf(data, 30), { ...base, learningRate: cosineSchedule(1e-3) })).rejects.toThrow(
      'batchesPerEpoch: expected a positive integer when a learning-rate or β schedule is used',
    );
    await expect(trainVaeOnStream(vae, [], base)).rejects.toThrow('source: expected at least one batch in epoch 1, got none');
    const narrow = dataMatrix(new Float32Array(12), 3, 4);
    await expect(trainVaeOnStream(vae, [narrow], base)).rejects.toThrow("batch 0 of epoch 1: expected 10 columns (the model's dataDim), got 4");
    vae.dispose();
  });

  it('marks an epoch that a stop or the end of the source cut short as partial, like trainVae, and no other', async () => {
    const base = { learningRate: 1e-3, seed: 0, evaluationData: heldOut, evaluation: { samples: 1 } };
    const stopAtStep = (at: number) => ({ onBatchEnd: ({ step }: { step: number }, control: { stop(reason: string): void }) => (step === at ? control.stop('test stop') : undefined) });
    const before = tf.memory().numTensors;
    const vae = model();
    // 10 batches per epoch; step 13 is batch 3 of epoch 2.
    const stopped = await trainVaeOnStream(vae, { [Symbol.iterator]: () => batchesOf(data, 30) }, { ...base, epochs: 3, batchesPerEpoch: 10, callbacks: [stopAtStep(13)] });
    expect(stopped.stopReason).toBe('test stop');
    expect(stopped.epochs.map((e) => e.partial)).toEqual([undefined, { batchesDone: 3, batchesPerEpoch: 10 }]);
    // A stop after an epoch's last batch leaves it whole, with and without the count given.
    const atEnd = await trainVaeOnStream(vae, { [Symbol.iterator]: () => batchesOf(data, 30) }, { ...base, epochs: 3, batchesPerEpoch: 10, callbacks: [stopAtStep(20)] });
    expect(atEnd.epochs.map((e) => e.partial)).toEqual([undefined, undefined]);
    const atEndUncounted = await trainVaeOnStream(vae, { [Symbol.iterator]: () => batchesOf(data, 30) }, { ...base, epochs: 3, callbacks: [stopAtStep(20)] });
    expect(atEndUncounted.epochs.map((e) => e.partial)).toEqual([undefined, undefined]);
    // Without the count, a stop before the source ends is partial of an unknown number of batches.
    const uncounted = await trainVaeOnStream(vae, { [Symbol.iterator]: () => batchesOf(data, 30) }, { ...base, epochs: 3, callbacks: [stopAtStep(13)] });
    expect(uncounted.epochs.map((e) => e.partial)).toEqual([undefined, { batchesDone: 3 }]);
    // A source that ends before the stated count: that epoch is partial, and training goes on.
    let pass = 0;
    const shortSecondPass = {
      *[Symbol.iterator]() {
        pass += 1;
        yield* pass === 2 ? batchesOf(dataMatrix(data.values.slice(0, 90 * 10), 90, 10), 30) : batchesOf(data, 30);
      },
    };
    const short = await trainVaeOnStream(vae, shortSecondPass, { ...base, epochs: 3, batchesPerEpoch: 10 });
    expect(short.epochs.map((e) => e.partial)).toEqual([undefined, { batchesDone: 3, batchesPerEpoch: 10 }, undefined]);
    expect(short.steps).toBe(23);
    vae.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('closes the source of an epoch it leaves early', async () => {
    const vae = model();
    let closed = 0;
    const source = {
      *[Symbol.iterator]() {
        try {
          yield* batchesOf(data, 30);
        } finally {
          closed += 1;
        }
      },
    };
    const stopAtStep2 = { onBatchEnd: ({ step }: { step: number }, control: { stop(reason: string): void }) => (step === 2 ? control.stop('test stop') : undefined) };
    await trainVaeOnStream(vae, source, { epochs: 2, learningRate: 1e-3, seed: 0, evaluationData: heldOut, evaluation: { samples: 1 }, callbacks: [stopAtStep2] });
    expect(closed).toBe(1);
    vae.dispose();
  });
});
