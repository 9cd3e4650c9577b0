import * as tf from '@tensorflow/tfjs-core';
import { generatePca } from '@trientropy/data';
import { LinearVae, ppcaMaximumLikelihood } from '@trientropy/models';
import { convergenceStop } from './callbacks/convergence-stop.js';
import { cosineSchedule } from './learning-rate-schedule.js';
import { trainVae } from './train.js';

/** pPCA data with column offsets up to 10 and scales from 0.1 to 4, generated here. */
function shiftedPpca(n: number, d: number, h: number, seed: number) {
  const base = generatePca({ n, dataDim: d, latentDim: h, noiseStd: 0.2, seed }).data;
  const values = new Float32Array(base.values);
  for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) values[r * d + c] = (values[r * d + c]! + 10 * Math.cos(c + seed)) * (0.1 + (3.9 * c) / (d - 1));
  return { values, rows: n, cols: d };
}

describe('trainVae on the linear VAE with closed-form EM sweeps', () => {
  it.each([
    [10, 3],
    [25, 4],
  ])('ends certified stationary within 0.1 %% of the pPCA maximum likelihood (D = %i, H = %i)', async (d, h) => {
    const data = shiftedPpca(1500, d, h, d);
    const optimum = ppcaMaximumLikelihood(data, h).logLikelihood;
    const model = new LinearVae({ dataDim: d, latentDim: h, seed: 2 });
    const before = tf.memory().numTensors;
    const result = await trainVae(model, data, { epochs: 5, batchSize: 500, learningRate: 1e-4, seed: 0, linearCoordinateAscent: 2000, certificate: true, evaluation: { samples: 2 } });
    const final = result.final;
    expect(final.closedFormSteps[0]).toBe('closed-form EM sweeps (at most 2000)');
    expect(Math.abs(final.linear!.exactElbo - optimum) / Math.abs(optimum)).toBeLessThan(1e-3);
    expect(final.certificate!.gradientMethod).toBe('exact');
    expect(final.certificate!.converged).toBe(true);
    // The first epoch's raw gap is measured on Adam's state before any sweep: far from zero.
    expect(result.epochs[0]!.rawGap.relativeGap).toBeGreaterThan(final.certificate!.rawGap.relativeGap);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('convergenceStop stops a run with the closed-form sweeps once certified, never more than 0.5 % below the optimum', async () => {
    const data = shiftedPpca(1200, 15, 3, 16);
    const optimum = ppcaMaximumLikelihood(data, 3).logLikelihood;
    const model = new LinearVae({ dataDim: 15, latentDim: 3, seed: 4 });
    const result = await trainVae(model, data, {
      epochs: 12,
      batchSize: 300,
      learningRate: cosineSchedule(2e-2, 0.05),
      seed: 1,
      normalizeLatents: true,
      linearCoordinateAscent: 2000,
      certificate: true,
      callbacks: convergenceStop(),
      evaluation: { samples: 2 },
    });
    // The sweeps reach the optimum in the first epoch; the stop needs two certified epochs and the ELBO window.
    expect(result.stopReason).toMatch(/^converged/);
    expect(result.epochs.length).toBeLessThan(12);
    expect((optimum - result.final.linear!.exactElbo) / Math.abs(optimum)).toBeLessThan(5e-3);
    expect((optimum - result.final.linear!.exactElbo) / Math.abs(optimum)).toBeLessThan(1e-5);
    model.dispose();
  });

  it('certificateEvery certifies every k epochs and always the last', async () => {
    const data = shiftedPpca(400, 6, 2, 3);
    const model = new LinearVae({ dataDim: 6, latentDim: 2, seed: 1 });
    const result = await trainVae(model, data, { epochs: 5, batchSize: 200, learningRate: 1e-3, seed: 0, linearCoordinateAscent: 50, certificate: true, certificateEvery: 2, evaluation: { samples: 1 } });
    expect(result.epochs.map((r) => r.certificate !== undefined)).toEqual([false, true, false, true, true]);
    await expect(trainVae(model, data, { epochs: 1, batchSize: 200, learningRate: 1e-3, seed: 0, certificate: true, certificateEvery: 0 })).rejects.toThrow(/certificateEvery/);
    model.dispose();
  });

  it('without the sweeps, the same short run is not certified, and convergenceStop does not fire below the optimum', async () => {
    const data = shiftedPpca(1500, 10, 3, 10);
    const optimum = ppcaMaximumLikelihood(data, 3).logLikelihood;
    const model = new LinearVae({ dataDim: 10, latentDim: 3, seed: 2 });
    const result = await trainVae(model, data, { epochs: 4, batchSize: 500, learningRate: 1e-2, seed: 0, normalizeLatents: true, certificate: true, callbacks: convergenceStop(), evaluation: { samples: 2 } });
    expect(result.stopReason).toBeUndefined();
    const below = (optimum - result.final.linear!.exactElbo) / Math.abs(optimum);
    expect(below).toBeGreaterThan(5e-3);
    expect(result.final.certificate!.converged).toBe(false);
    model.dispose();
  });
});
