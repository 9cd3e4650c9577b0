import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom, dataMatrix } from '@trientropy/data';
import { Vae1, ppcaMaximumLikelihood } from '@trientropy/models';
import { convergenceStop } from './callbacks/convergence-stop.js';
import { cosineSchedule } from './learning-rate-schedule.js';
import { trainVae } from './train.js';

/**
 * pPCA data of rank 2 on a tiny scale far from the origin (x = μ + 0.1·W₀z + 0.02·ε, |μ_d| ≤ 10), generated here:
 * on which VAE-1 with the CLI defaults is prone to collapse every latent onto the prior.
 */
function tinyScalePpca(rows: number, d: number, seed: number) {
  const rng = new SeededRandom(seed);
  const w = Array.from({ length: d * 2 }, () => rng.normal());
  const mean = Array.from({ length: d }, () => 10 * (2 * rng.uniform() - 1));
  const values = new Float32Array(rows * d);
  for (let n = 0; n < rows; n++) {
    const z = [rng.normal(), rng.normal()];
    for (let i = 0; i < d; i++) values[n * d + i] = mean[i]! + 0.1 * (w[2 * i]! * z[0]! + w[2 * i + 1]! * z[1]!) + 0.02 * rng.normal();
  }
  return dataMatrix(values, rows, d);
}

/** A VAE-1 whose latents have collapsed onto the prior: encoder all zeros (q = N(0, 1)), decoder blind to z, output at the data mean. */
function collapsedVae1(data: ReturnType<typeof tinyScalePpca>, seed: number): Vae1 {
  const model = new Vae1({ dataDim: data.cols, latentDim: 2, hiddenSizes: [20, 20], seed });
  const named = model.namedVariables();
  for (const [name, variable] of Object.entries(named)) if (name.startsWith('encoder/') || name === 'decoder/layer0/weight') variable.assign(tf.zerosLike(variable));
  tf.tidy(() => {
    const hidden = model.decode(tf.zeros([1, 2]));
    named['decoder/layer2/bias']!.assign(tf.add(named['decoder/layer2/bias']!, tf.sub(tf.mean(tf.tensor2d(data.values, [data.rows, data.cols]), 0), tf.squeeze(hidden))));
  });
  return model;
}

describe('convergenceStop on VAE-1', () => {
  const data = tinyScalePpca(1000, 12, 6);
  const optimum = ppcaMaximumLikelihood(data, 2).logLikelihood;
  const train = (model: Vae1, latentEscape?: number) =>
    // The CLI's VAE-1 settings, certified every epoch as --stop-on-convergence does.
    trainVae(model, data, {
      epochs: 5,
      batchSize: 250,
      learningRate: cosineSchedule(5e-3, 0.05),
      seed: 0,
      normalizeLatents: true,
      initializeDecoderBias: false,
      certificate: latentEscape === undefined ? true : { tolerances: { latentEscape } },
      callbacks: convergenceStop(),
      evaluation: { samples: 1 },
    });

  it('never stops at a collapsed-latent saddle far below the pPCA optimum (zero gradients, zero gap), and stops there without the escape test', async () => {
    const model = collapsedVae1(data, 0);
    const result = await train(model);
    // Each certified epoch is within 0.5 % of ℓ_ML; the saddle is not.
    for (const record of result.epochs) if (record.certificate!.converged) expect((optimum - record.elbo) / Math.abs(optimum)).toBeLessThan(5e-3);
    expect(result.stopReason).toBeUndefined();
    const final = result.final;
    expect((optimum - final.elbo) / Math.abs(optimum)).toBeGreaterThan(5e-3);
    model.dispose();

    // With the escape test switched off (a tolerance nothing exceeds) the gradient, gap and window checks alone
    // pass at the saddle and the rule stops: what the line-search certificate did.
    const blind = collapsedVae1(data, 0);
    const fooled = await train(blind, 1e9);
    expect(fooled.stopReason).toMatch(/^converged/);
    expect((optimum - fooled.final.elbo) / Math.abs(optimum)).toBeGreaterThan(5e-2);
    blind.dispose();
  }, 300_000);
});
