import * as tf from '@tensorflow/tfjs-core';
import { generatePca } from '@trientropy/data';
import { BernoulliVae, Vae1 } from '@trientropy/models';
import { refitsAt, resolveRefitSchedule } from './decoder-output-refit-schedule.js';
import { trainVae } from './train.js';

const data = generatePca({ n: 120, seed: 9 }).data;
const tiny = (seed = 1) => new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [6], seed });
const REFIT_STEP = /decoder output layer refitted by least squares/;

describe('decoderOutputRefit option', () => {
  it('fills in defaults and rejects misspelt keys and bad values with the option named', () => {
    expect(resolveRefitSchedule(undefined)).toBeUndefined();
    expect(resolveRefitSchedule(false)).toBeUndefined();
    expect(resolveRefitSchedule(true)).toEqual({ everyEpochs: 1, untilFraction: 0.5, samples: 4 });
    expect(resolveRefitSchedule({ everyEpochs: 3 })).toEqual({ everyEpochs: 3, untilFraction: 0.5, samples: 4 });
    expect(() => resolveRefitSchedule({ everyEpoch: 3 } as never)).toThrow(/decoderOutputRefit: .*unknown key everyEpoch/);
    expect(() => resolveRefitSchedule({ everyEpochs: 0 })).toThrow(/decoderOutputRefit: .*everyEpochs/);
    expect(() => resolveRefitSchedule({ untilFraction: 1.5 })).toThrow(/decoderOutputRefit: .*untilFraction/);
    expect(() => resolveRefitSchedule({ samples: 2.5 })).toThrow(/decoderOutputRefit: .*samples/);
    expect(() => resolveRefitSchedule(3 as never)).toThrow(/decoderOutputRefit: expected true, false or/);
  });

  it('schedules epochs k, 2k, … within the first fraction of the run', () => {
    const schedule = { everyEpochs: 2, untilFraction: 0.5, samples: 1 };
    expect(Array.from({ length: 12 }, (_, i) => i + 1).filter((e) => refitsAt(schedule, e, 12))).toEqual([2, 4, 6]);
  });

  it('refits only at the scheduled epochs, raises the ELBO there and leaks no tensors', async () => {
    const model = tiny();
    const before = tf.memory().numTensors;
    const result = await trainVae(model, data, { epochs: 6, batchSize: 40, learningRate: 1e-2, seed: 0, evaluation: { samples: 2 }, decoderOutputRefit: { everyEpochs: 2, untilFraction: 0.7, samples: 2 } });
    expect(tf.memory().numTensors).toBe(before);
    const refitted = result.epochs.filter((r) => r.closedFormSteps.some((s) => REFIT_STEP.test(s))).map((r) => r.epoch);
    expect(refitted).toEqual([2, 4]);
    // The raw evaluation precedes the closed-form steps; after them (refit, m_h = 1, σ² = R/D) the ELBO is higher.
    for (const epoch of refitted) {
      const record = result.epochs[epoch - 1]!;
      expect(record.elbo).toBeGreaterThan(record.rawGap.elbo);
    }
    model.dispose();
  }, 60_000);

  it('is off by default and refuses a model without a scalar-σ² Gaussian decoder', async () => {
    const model = tiny();
    const result = await trainVae(model, data, { epochs: 1, batchSize: 60, learningRate: 1e-2, seed: 0, evaluation: { samples: 1 } });
    expect(result.final.closedFormSteps.some((s) => REFIT_STEP.test(s))).toBe(false);
    model.dispose();
    const bernoulli = new BernoulliVae({ dataDim: 10, latentDim: 2, hiddenSizes: [4], seed: 0 });
    const tensors = tf.memory().numTensors;
    await expect(trainVae(bernoulli, data, { epochs: 1, batchSize: 60, learningRate: 1e-2, seed: 0, decoderOutputRefit: true })).rejects.toThrow(/decoderOutputRefit: expected a model with a scalar-σ² Gaussian decoder/);
    expect(tf.memory().numTensors).toBe(tensors);
    bernoulli.dispose();
  });
});
