import * as tf from '@tensorflow/tfjs-core';
import { generatePca } from '@trientropy/data';
import { LinearVae, Vae2, ppcaMaximumLikelihood } from '@trientropy/models';
import { stationarityReport } from './stationarity-report.js';

const data = generatePca({ n: 300, dataDim: 6, latentDim: 2, noiseStd: 0.2, seed: 8 }).data;

function linearVaeAtMaximumLikelihood(): LinearVae {
  const model = new LinearVae({ dataDim: 6, latentDim: 2, seed: 0 });
  model.setPpcaSolution(ppcaMaximumLikelihood(data, 2));
  return model;
}

describe('stationarityReport', () => {
  it('calls the pPCA maximum-likelihood point of a linear VAE near stationary (ρ = 1, m_h = 1, pairs match)', async () => {
    const model = linearVaeAtMaximumLikelihood();
    const before = tf.memory().numTensors;
    const report = await stationarityReport(model, data, { seed: 1, samples: 50 });
    expect(report.points).toBe(300);
    expect(Math.abs(report.varianceRatio! - 1)).toBeLessThan(0.02);
    for (const latent of report.latents) {
      expect(Math.abs(latent.offLine)).toBeLessThan(1e-3);
      // Informative latents trade τ² for ν²: both parts are strictly inside (0, 1).
      expect(latent.meanVariance).toBeGreaterThan(0);
      expect(latent.meanSquaredMean).toBeGreaterThan(0.5);
    }
    const d = report.decomposition;
    expect(Math.abs(d.reconstruction - d.negativeDecoderEntropy)).toBeLessThan(0.01 * Math.abs(report.elbo));
    expect(d.negativeKl - d.encoderMinusPriorEntropy).toBeCloseTo(d.priorDifference, 6);
    expect(report.checks).toEqual({ varianceRatio: true, latentMoments: true, decoderPair: true, priorPair: true });
    expect(report.nearStationary).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('flags a doubled σ² and scaled encoder means, with pair differences given by the gap identity', async () => {
    const model = linearVaeAtMaximumLikelihood();
    const p = model.parameters();
    model.setParameters({ ...p, noiseVariance: 2 * p.noiseVariance, encoderWeight: p.encoderWeight.map((row) => row.map((v) => 1.3 * v)) });
    const report = await stationarityReport(model, data, { seed: 1, samples: 50 });
    expect(Math.abs(report.varianceRatio! - 1)).toBeGreaterThan(0.1);
    expect(report.checks.varianceRatio).toBe(false);
    expect(report.checks.latentMoments).toBe(false);
    expect(report.nearStationary).toBe(false);
    // the gap identity (derived from arXiv 2010.14860) with the same samples: reconstruction + H_dec = (D/2)(1 − ρ), −KL − (H_enc − H_prior) = −½ Σ(m_h − 1).
    expect(report.decomposition.decoderDifference).toBeCloseTo(3 * (1 - report.varianceRatio!), 3);
    expect(report.decomposition.priorDifference).toBeCloseTo(-0.5 * report.latentMomentRatios.reduce((s, r) => s + r - 1, 0), 4);
    model.dispose();
  });

  it('is not fooled by the closed-form steps: a random linear VAE with σ² = R/D and m_h = 1 passes every moment check but not the certificate', async () => {
    const model = new LinearVae({ dataDim: 6, latentDim: 2, seed: 9 });
    const x = tf.tensor2d(data.values, [data.rows, data.cols]);
    model.normalizeLatentMoments(x);
    model.setOptimalVariances(x, { seed: 0 });
    const report = await stationarityReport(model, x, { seed: 1, samples: 50 });
    expect(report.checks.latentMoments).toBe(true);
    expect(report.checks.priorPair).toBe(true);
    expect(report.certificate.converged).toBe(false);
    expect(report.nearStationary).toBe(false);
    x.dispose();
    model.dispose();
  });

  it('scales the per-latent points by α_h² for VAE-2', async () => {
    const model = new Vae2({ dataDim: 6, latentDim: 2, hiddenSizes: [4], seed: 3 });
    const x = tf.tensor2d(data.values, [data.rows, data.cols]);
    model.setOptimalVariances(x, { seed: 0, samples: 10 }); // α_h² ← m_h puts every point on the line
    const report = await stationarityReport(model, x, { seed: 0, samples: 10 });
    for (const latent of report.latents) expect(Math.abs(latent.offLine)).toBeLessThan(1e-4);
    expect(report.checks.latentMoments).toBe(true);
    x.dispose();
    model.dispose();
  });
});
