import * as tf from '@tensorflow/tfjs-core';
import { generatePca } from '@trientropy/data';
import { type ElboOptions, type ElboTerms, Vae1, type VaeModel } from '@trientropy/models';
import { NonFiniteLossError } from './non-finite-loss-error.js';
import { cosineSchedule } from './learning-rate-schedule.js';
import type { EpochRecord } from './epoch-record.js';
import { trainVae } from './train.js';

const data = generatePca({ n: 400, seed: 3 }).data;

function smallVae(seed = 1): Vae1 {
  return new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [8], seed });
}

async function readVariables(model: VaeModel): Promise<Float32Array[]> {
  return Promise.all(model.trainableVariables().map(async (v) => (await v.data()) as Float32Array));
}

/** A Vae1 whose ELBO becomes NaN from the `poisonFromCall`-th call on. */
class PoisonedVae extends Vae1 {
  private calls = 0;

  constructor(private readonly poisonFromCall: number) {
    super({ dataDim: 10, latentDim: 2, hiddenSizes: [8], seed: 1 });
  }

  override elbo(x: tf.Tensor, options: ElboOptions): ElboTerms {
    const terms = super.elbo(x, options);
    this.calls += 1;
    if (this.calls < this.poisonFromCall) return terms;
    return { ...terms, elbo: tf.mul(terms.elbo, tf.scalar(Number.NaN)) as tf.Scalar };
  }
}

describe('trainVae', () => {
  it('leaves tf.memory().numTensors unchanged after 100 training steps', async () => {
    const model = smallVae();
    const before = tf.memory().numTensors;
    let steps = 0;
    // 400 rows / batch 16 = 25 steps per epoch, 4 epochs = 100 steps.
    await trainVae(model, data, {
      epochs: 4,
      batchSize: 16,
      learningRate: 1e-3,
      seed: 0,
      evaluation: { samples: 1 },
      callbacks: { onBatchEnd: () => void (steps += 1) },
    });
    expect(steps).toBe(100);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('raises the ELBO and brings it to the entropy sum on the PCA data', async () => {
    const model = smallVae();
    const result = await trainVae(model, data, {
      epochs: 15,
      batchSize: 40,
      learningRate: cosineSchedule(5e-3, 0.05),
      seed: 0,
      evaluation: { samples: 4 },
    });
    const first = result.epochs[0]!;
    expect(result.final.elbo).toBeGreaterThan(first.elbo + 1);
    // Closed-form σ² per epoch makes R/(Dσ²) ≈ 1 up to Monte-Carlo noise of R.
    expect(Math.abs(result.final.varianceRatio! - 1)).toBeLessThan(0.1);
    expect(result.final.relativeGap).toBeLessThan(0.1);
    model.dispose();
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const run = async (seed: number): Promise<number[]> => {
      const model = smallVae();
      const result = await trainVae(model, data, { epochs: 2, batchSize: 50, learningRate: 1e-3, seed, evaluation: { samples: 1 } });
      model.dispose();
      return result.epochs.map((e) => e.elbo);
    };
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect(await run(6)).not.toEqual(a);
  });

  it('calls every callback in order with the step counts', async () => {
    const model = smallVae();
    const events: string[] = [];
    let lastStep = 0;
    await trainVae(model, data, {
      epochs: 2,
      batchSize: 150, // 3 batches per epoch, the last one partial
      learningRate: 1e-3,
      seed: 0,
      evaluation: { samples: 1 },
      callbacks: {
        onTrainStart: ({ epochs, batchesPerEpoch }) => void events.push(`start ${epochs}×${batchesPerEpoch}`),
        onEpochStart: (epoch) => void events.push(`epoch ${epoch}`),
        onBatchEnd: ({ batch, step }) => {
          events.push(`batch ${batch}`);
          lastStep = step;
        },
        onEpochEnd: (record: EpochRecord) => void events.push(`end ${record.epoch}`),
        onTrainEnd: (result) => void events.push(`done ${result.epochs.length}`),
      },
    });
    expect(events).toEqual(['start 2×3', 'epoch 1', 'batch 0', 'batch 1', 'batch 2', 'end 1', 'epoch 2', 'batch 0', 'batch 1', 'batch 2', 'end 2', 'done 2']);
    expect(lastStep).toBe(6);
    model.dispose();
  });

  it('stops on a non-finite loss with an error naming the steps and restores the last good epoch', async () => {
    // Calls 1–4 are epoch 1's steps, 5 its evaluation, 6–9 epoch 2's steps: poison from the second of those.
    const model = new PoisonedVae(7);
    let goodParameters: Float32Array[] = [];
    const before = tf.memory().numTensors;
    const run = trainVae(model, data, {
      epochs: 5,
      batchSize: 100,
      learningRate: 1e-3,
      seed: 0,
      varianceUpdate: 'gradient',
      evaluation: { samples: 1, batchSize: 400 },
      callbacks: { onEpochEnd: async () => void (goodParameters = await readVariables(model)) },
    });
    await expect(run).rejects.toThrow(NonFiniteLossError);
    await expect(run).rejects.toThrow(/non-finite loss in epoch 2 \(steps 5–8\).*restored to the end of epoch 1/);
    expect(goodParameters.length).toBeGreaterThan(0);
    expect(await readVariables(model)).toEqual(goodParameters);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('rejects bad options and mismatched data with errors naming the argument', async () => {
    const model = smallVae();
    const base = { epochs: 1, batchSize: 10, learningRate: 1e-3, seed: 0 };
    await expect(trainVae(model, data, { ...base, epochs: 0 })).rejects.toThrow('epochs: expected a positive integer, got 0');
    await expect(trainVae(model, data, { ...base, batchSize: 2.5 })).rejects.toThrow('batchSize: expected a positive integer, got 2.5');
    await expect(trainVae(model, data, { ...base, learningRate: -1 })).rejects.toThrow('learningRate: expected a finite number > 0, got -1');
    await expect(trainVae(model, data, { ...base, seed: 0.5 })).rejects.toThrow('seed: expected an integer, got 0.5');
    const wide = generatePca({ n: 20, dataDim: 12, seed: 0 }).data;
    await expect(trainVae(model, wide, base)).rejects.toThrow("data: expected 10 columns (the model's dataDim), got 12");
    model.dispose();
  });
});
