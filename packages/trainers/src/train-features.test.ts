import * as tf from '@tensorflow/tfjs-core';
import { generatePca } from '@trientropy/data';
import { Vae1 } from '@trientropy/models';
import { linearKlAnnealing } from './beta-schedule.js';
import { convergenceStop } from './callbacks/convergence-stop.js';
import { earlyStopping } from './callbacks/early-stopping.js';
import { jsonLinesLogger } from './callbacks/json-lines-logger.js';
import type { EpochRecord } from './epoch-record.js';
import { nameEndsWith } from './parameter-groups.js';
import { TrainControl } from './train-control.js';
import { trainVae } from './train.js';

const data = generatePca({ n: 100, seed: 5 }).data;
// σ² starts far above R/D, so its gradient keeps one sign for the first steps.
const tiny = (seed = 1) => new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [4], seed, initialLogDecoderVariance: 2 });

function record(epoch: number, elbo: number, relativeGap: number): EpochRecord {
  return { epoch, elbo, entropySum: elbo, relativeGap } as EpochRecord;
}

describe('training features', () => {
  it('keeps tf.memory().numTensors constant over a 2,000-step run', async () => {
    const model = tiny();
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    // 100 rows, batch 5: 20 steps per epoch, 100 epochs.
    const result = await trainVae(model, data, {
      epochs: 100,
      batchSize: 5,
      learningRate: 1e-3,
      seed: 0,
      evaluation: { samples: 1 },
      callbacks: { onEpochEnd: () => void counts.push(tf.memory().numTensors) },
    });
    expect(result.steps).toBe(2000);
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  }, 180_000); // ~20 s on a quiet 2-core machine; over 60 s at load averages above 30

  it('trains a parameter group at its own rate', async () => {
    const varianceOf = async (model: Vae1) => (await model.logDecoderVariance.data())[0] as number;
    const run = async (rate: number) => {
      const model = tiny();
      await trainVae(model, data, {
        epochs: 1,
        batchSize: 10,
        learningRate: 1e-2,
        seed: 0,
        varianceUpdate: 'gradient',
        evaluation: { samples: 1 },
        parameterGroups: [{ name: 'decoder variance', select: nameEndsWith('logDecoderVariance'), learningRate: rate }],
      });
      const moved = Math.abs((await varianceOf(model)) - 2);
      model.dispose();
      return moved;
    };
    // Adam moves a parameter by about the learning rate per step: 10 steps.
    expect(await run(1e-6)).toBeLessThan(1e-4);
    expect(await run(5e-2)).toBeGreaterThan(0.1);
  });

  it('rejects parameter groups that overlap or select nothing', async () => {
    const model = tiny();
    const base = { epochs: 1, batchSize: 10, learningRate: 1e-3, seed: 0 };
    await expect(trainVae(model, data, { ...base, parameterGroups: [{ name: 'none', select: () => false, learningRate: 1e-3 }] })).rejects.toThrow(
      /parameterGroups\[0\] \('none'\): expected to select at least one variable, selected none of/,
    );
    const all = { name: 'all', select: () => true, learningRate: 1e-3 };
    await expect(trainVae(model, data, { ...base, parameterGroups: [all, { ...all, name: 'again' }] })).rejects.toThrow(/parameterGroups\[1\] \('again'\): variable .* is already in group 'all'/);
    model.dispose();
  });

  it('clips the global gradient norm', async () => {
    // Adam divides by √v, so clipping to far below Adam's ε (1e-7) shrinks the steps by orders of magnitude.
    const travel = async (clip: number | undefined) => {
      const model = tiny();
      const start = await model.logDecoderVariance.data();
      await trainVae(model, data, { epochs: 1, batchSize: 10, learningRate: 1e-2, seed: 0, varianceUpdate: 'gradient', gradientClipNorm: clip, evaluation: { samples: 1 } });
      const moved = Math.abs(((await model.logDecoderVariance.data())[0] as number) - (start[0] as number));
      model.dispose();
      return moved;
    };
    const free = await travel(undefined);
    expect(free).toBeGreaterThan(1e-2);
    expect(await travel(1e-10)).toBeLessThan(free / 100);
    await expect(travel(0)).rejects.toThrow('gradientClipNorm: expected a finite number > 0, got 0');
  });

  it('anneals β linearly and validates it', () => {
    const beta = linearKlAnnealing(5, 0, 1);
    expect([1, 2, 3, 5, 9].map((step) => beta({ step, totalSteps: 10 }))).toEqual([0, 0.25, 0.5, 1, 1]);
    expect(() => linearKlAnnealing(0)).toThrow('warmupSteps: expected a positive integer, got 0');
  });

  it('passes β to the objective: β = 0 drops the KL term and lets it grow', async () => {
    const klAfter = async (beta: number) => {
      const model = tiny();
      const result = await trainVae(model, data, { epochs: 3, batchSize: 10, learningRate: 1e-2, seed: 0, beta, evaluation: { samples: 1 }, initializeDecoderBias: false });
      model.dispose();
      return result.final.kl;
    };
    expect(await klAfter(0)).toBeGreaterThan((await klAfter(1)) + 1);
  });

  it('early stopping stops after `patience` epochs without improvement', () => {
    const callback = earlyStopping({ patience: 2, minDelta: 0.1 });
    const control = new TrainControl();
    callback.onTrainStart!({ epochs: 10, batchesPerEpoch: 1, startEpoch: 1 }, control);
    [1.0, 1.5, 1.55, 1.58].forEach((elbo, i) => callback.onEpochEnd!(record(i + 1, elbo, 0), control));
    expect(control.stopReason).toMatch(/early stopping: elbo has not improved by more than 0.1 for 2 epochs \(best 1.50000 at epoch 2\)/);
    expect(() => earlyStopping({ patience: 0 })).toThrow('patience: expected a positive integer, got 0');
  });

  it('the convergence rule stops only after k consecutive certified epochs, and refuses records without a certificate', () => {
    const callback = convergenceStop({ epochs: 2 });
    const control = new TrainControl();
    const certified = (epoch: number, converged: boolean): EpochRecord =>
      ({ ...record(epoch, 3, 0), certificate: { converged, maxRelativeGain: converged ? 1e-7 : 0.1, rawGap: { relativeGap: 1e-4, measured: 'before-closed-form-steps' } } }) as EpochRecord;
    [certified(1, true), certified(2, false), certified(3, true)].forEach((r) => callback.onEpochEnd!(r, control));
    expect(control.stopReason).toBeUndefined();
    callback.onEpochEnd!(certified(4, true), control);
    expect(control.stopReason).toMatch(/^converged: certified stationary for 2 epochs \(largest gradient-step gain 1.00e-7 of \|ELBO\|, raw gap 1.00e-4 of \(D \+ H\)\/2\)/);
    // A tiny gap without a certificate proves nothing (closed-form steps make it 0 at any weights).
    expect(() => convergenceStop().onEpochEnd!(record(1, 3, 0), new TrainControl())).toThrow(/no stationarity certificate/);
    expect(() => convergenceStop({ epochs: 0 })).toThrow('epochs: expected a positive integer, got 0');
  });

  it('records the raw gap before the closed-form steps, labels the steps, and certifies the end state when asked', async () => {
    const model = tiny();
    const result = await trainVae(model, data, { epochs: 2, batchSize: 50, learningRate: 1e-3, seed: 0, normalizeLatents: true, certificate: { maxRows: 100 }, evaluation: { samples: 50 } });
    const [first, last] = [result.epochs[0]!, result.final];
    expect(last.closedFormSteps).toEqual(['latents rescaled to m_h = 1', 'variances set to their closed form on the evaluation data']);
    // σ² starts at e², far from R/D: before the first epoch's steps the gap is large, after them small by construction.
    expect(first.rawGap.relativeGap).toBeGreaterThan(10 * first.relativeGap);
    expect(first.rawGap.elbo).toBeLessThan(first.elbo);
    expect(last.certificate!.rawGap.measured).toBe('before-closed-form-steps');
    expect(last.certificate!.rawGap.nats).toBeCloseTo(Math.abs(last.rawGap.elbo - last.rawGap.entropySum), 10);
    expect(last.certificate!.rawGap.relativeGap).toBeCloseTo(last.certificate!.rawGap.nats / ((model.dataDim + model.latentDim) / 2), 10);
    expect(last.certificate!.elboChange!.epochs).toBe(1);
    expect(last.certificate!.converged).toBe(false);
    expect(result.epochs[0]!.certificate!.elboChange).toBeUndefined();
    model.dispose();
  });

  it('stops training when a callback asks, reports why, and logs JSON lines', async () => {
    const model = tiny();
    const lines: string[] = [];
    const result = await trainVae(model, data, {
      epochs: 10,
      batchSize: 50,
      learningRate: 1e-3,
      seed: 0,
      evaluation: { samples: 1 },
      callbacks: [{ onEpochEnd: (r, control) => (r.epoch === 2 ? control.stop('enough') : undefined) }, jsonLinesLogger((line) => void lines.push(line))],
    });
    expect(result.epochs).toHaveLength(2);
    expect(result.stopReason).toBe('enough');
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed.map((p) => p.event)).toEqual(['epoch', 'epoch', 'end']);
    expect(parsed[1]).toMatchObject({ epoch: 2, elbo: result.epochs[1]!.elbo });
    expect(parsed[2]).toEqual({ event: 'end', epochs: 2, steps: 4, stopReason: 'enough' });
    model.dispose();
  });
});
