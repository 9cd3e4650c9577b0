import * as tf from '@tensorflow/tfjs-core';
import { generatePca } from '@trientropy/data';
import { LinearVae, Vae1, ppcaMaximumLikelihood } from '@trientropy/models';
import { stationarityCertificate } from './stationarity-certificate.js';

/** pPCA data with column offsets up to 10 and scales from 0.1 to 4, generated here. */
function ppcaData(n: number, d: number, h: number, seed: number): { values: Float32Array; rows: number; cols: number } {
  const base = generatePca({ n, dataDim: d, latentDim: h, noiseStd: 0.2, seed }).data;
  const values = new Float32Array(base.values);
  for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) values[r * d + c] = (values[r * d + c]! + 10 * Math.sin(c)) * (0.1 + (3.9 * c) / (d - 1));
  return { values, rows: n, cols: d };
}

describe('stationarityCertificate', () => {
  const data = ppcaData(2000, 8, 2, 4);
  let x: tf.Tensor2D;
  beforeAll(() => {
    x = tf.tensor2d(data.values, [data.rows, data.cols]);
  });
  afterAll(() => x.dispose());

  it('refuses a random linear VAE made gap-free by the closed-form steps (σ² = R/D, m_h = 1), and certifies the pPCA optimum', async () => {
    const model = new LinearVae({ dataDim: 8, latentDim: 2, seed: 3 });
    model.normalizeLatentMoments(x);
    model.setOptimalVariances(x, { seed: 0 });
    const before = tf.memory().numTensors;
    const parameters = model.parameters();
    const random = await stationarityCertificate(model, x);
    // The gap identity is zero by construction here, so the gap alone would call this point converged…
    expect(random.rawGap.measured).toBe('at-this-state');
    expect(random.rawGap.relativeGap).toBeLessThan(1e-5);
    expect(random.checks.rawGap).toBe(true);
    // …but a step along the decoder's gradient still raises the ELBO by per cents.
    expect(random.gradientMethod).toBe('exact');
    expect(random.converged).toBe(false);
    expect(random.checks.gradient).toBe(false);
    expect(random.maxRelativeGain).toBeGreaterThan(1e-2);
    expect(random.reasons[0]).toContain('gradient');
    expect(model.parameters()).toEqual(parameters); // the line search restores every parameter exactly
    expect(tf.memory().numTensors).toBe(before);

    const solution = ppcaMaximumLikelihood(data, 2);
    model.setPpcaSolution(solution);
    const optimum = await stationarityCertificate(model, x);
    expect(optimum.converged).toBe(true);
    expect(optimum.maxRelativeGain).toBeLessThan(1e-6);
    expect(Math.abs(optimum.elbo - solution.logLikelihood) / Math.abs(solution.logLikelihood)).toBeLessThan(1e-5);
    expect(optimum.groups.map((g) => g.name)).toEqual(['encoder', 'decoder', 'logDecoderVariance']);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it.each([
    [5, 1],
    [12, 3],
    [24, 5],
  ])('on D = %i, H = %i too: the untrained model with the closed-form steps is refused, the pPCA optimum certified', async (d, h) => {
    const shape = ppcaData(1000, d, h, d + h);
    const xs = tf.tensor2d(shape.values, [shape.rows, d]);
    const model = new LinearVae({ dataDim: d, latentDim: h, seed: d });
    model.normalizeLatentMoments(xs);
    model.setOptimalVariances(xs, { seed: 0 });
    const random = await stationarityCertificate(model, xs);
    expect(random.converged).toBe(false);
    // Three orders of magnitude above the exact tolerance (1e-5), as measured over the grid of tools/convergence.
    expect(random.maxRelativeGain).toBeGreaterThan(1e-2);
    model.setPpcaSolution(ppcaMaximumLikelihood(shape, h));
    const optimum = await stationarityCertificate(model, xs);
    expect(optimum.converged).toBe(true);
    expect(optimum.maxRelativeGain).toBeLessThan(1e-6);
    xs.dispose();
    model.dispose();
  });

  it('is not fooled by one coordinate-ascent step: the optimal encoder of a random decoder leaves the decoder non-stationary', async () => {
    const model = new LinearVae({ dataDim: 8, latentDim: 2, seed: 5 });
    model.setOptimalVariances(x, { seed: 0 });
    model.setOptimalEncoder();
    const certificate = await stationarityCertificate(model, x);
    const byName = Object.fromEntries(certificate.groups.map((g) => [g.name, g]));
    expect(byName['encoder']!.stationary).toBe(true);
    expect(byName['decoder']!.stationary).toBe(false);
    expect(certificate.worstGroup).toBe('decoder');
    expect(certificate.converged).toBe(false);
    model.dispose();
  });

  it('estimates Monte-Carlo gradients with a standard error, refuses an untrained VAE-1 after the closed-form steps', async () => {
    const small = tf.slice(x, [0, 0], [600, 8]) as tf.Tensor2D;
    const model = new Vae1({ dataDim: 8, latentDim: 2, hiddenSizes: [8], seed: 1 });
    model.normalizeLatentMoments(small);
    model.setOptimalVariances(small, { seed: 0, samples: 4 });
    const before = tf.memory().numTensors;
    const certificate = await stationarityCertificate(model, small, { batchSize: 300 });
    expect(certificate.gradientMethod).toBe('monte-carlo');
    expect(certificate.samples).toBe(2);
    for (const group of certificate.groups) {
      expect(group.standardError).toBeGreaterThan(0);
      expect(group.signalToNoise).toBeGreaterThan(0);
    }
    expect(certificate.converged).toBe(false);
    expect(certificate.maxRelativeGain).toBeGreaterThan(1e-3);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    small.dispose();
  });

  it('uses the gap measured before closed-form steps and the ELBO window when given, and says why it refuses', async () => {
    const model = new LinearVae({ dataDim: 8, latentDim: 2, seed: 0 });
    model.setPpcaSolution(ppcaMaximumLikelihood(data, 2));
    // (D + H)/2 = 5 nats is the gap's scale: 0.25 nats is 5 % of it (ρ or the m_h 5 % off 1 on average).
    const certificate = await stationarityCertificate(model, x, { rawGapNats: -0.25, elboWindow: [-100, -90] });
    expect(certificate.checks).toEqual({ gradient: true, ascent: true, rawGap: false, elboChange: false });
    expect(certificate.rawGap).toEqual({ nats: 0.25, scale: 5, relativeGap: 0.05, measured: 'before-closed-form-steps' });
    expect(certificate.reasons).toHaveLength(2);
    expect(certificate.converged).toBe(false);
    const steady = await stationarityCertificate(model, x, { elboWindow: [certificate.elbo, certificate.elbo] });
    expect(steady.elboChange).toEqual({ epochs: 2, relativeChange: 0 });
    expect(steady.converged).toBe(true);
    model.dispose();
  });

  it('refuses a VAE-1 whose latents collapsed onto the prior: a saddle with zero gradients that the residual variance betrays', async () => {
    // All latents collapsed (encoder mean 0, variance 1; the decoder ignores z) and σ² = R/D: an exact stationary
    // point, gap 0, no gradient beyond Monte-Carlo noise, yet far below the optimum (pPCA data of rank 2).
    const model = new Vae1({ dataDim: 8, latentDim: 2, hiddenSizes: [8], seed: 2 });
    for (const [name, variable] of Object.entries(model.namedVariables())) {
      if (name.startsWith('encoder/') || name === 'decoder/layer0/weight') variable.assign(tf.zerosLike(variable));
    }
    const bias = model.namedVariables()['decoder/layer1/bias']!;
    const meanX = tf.mean(x, 0);
    const hidden = tf.relu(model.namedVariables()['decoder/layer0/bias']!);
    bias.assign(tf.sub(meanX, tf.squeeze(tf.matMul(tf.expandDims(hidden, 0), model.namedVariables()['decoder/layer1/weight']!))));
    tf.dispose([meanX, hidden]);
    model.setOptimalVariances(x, { seed: 0 });
    const before = tf.memory().numTensors;
    const certificate = await stationarityCertificate(model, x, { batchSize: 1000 });
    expect(certificate.rawGap.relativeGap).toBeLessThan(1e-3);
    expect(certificate.latentEscape!.collapsedLatents).toEqual([0, 1]);
    expect(certificate.latentEscape!.residualEigenvalueRatio).toBeGreaterThan(5);
    expect(certificate.checks.latentEscape).toBe(false);
    expect(certificate.converged).toBe(false);
    expect(certificate.reasons.some((r) => r.includes('collapsed latents 0, 1'))).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('sees no escape where none exists: the pPCA optimum with more latents than the data have', async () => {
    const shape = ppcaData(2000, 8, 1, 9);
    const xs = tf.tensor2d(shape.values, [shape.rows, 8]);
    const model = new LinearVae({ dataDim: 8, latentDim: 2, seed: 1 });
    model.setPpcaSolution(ppcaMaximumLikelihood(shape, 2));
    const certificate = await stationarityCertificate(model, xs);
    // The second latent explains only sampling noise (nearly collapsed); what is left in the residuals is noise,
    // within the Marchenko–Pastur edge, so the escape test (if it applies) passes and the optimum is certified.
    expect(certificate.checks.latentEscape).not.toBe(false);
    expect(certificate.latentEscape?.gain ?? 0).toBeLessThan(1e-4);
    expect(certificate.converged).toBe(true);
    xs.dispose();
    model.dispose();
  });

  it('checks its options and data, naming the argument', async () => {
    const vae = new Vae1({ dataDim: 8, latentDim: 2, hiddenSizes: [4], seed: 0 });
    await expect(stationarityCertificate(vae, x, { gradient: 'exact' })).rejects.toThrow("gradient: 'exact' needs a closed-form ELBO (the linear VAE), got kind 'vae-1'");
    await expect(stationarityCertificate(vae, x, { samples: 0 })).rejects.toThrow('samples: expected a positive integer, got 0');
    await expect(stationarityCertificate(vae, x, { tolerances: { gain: -1 } })).rejects.toThrow('tolerances.gain: expected a finite number > 0, got -1');
    const before = tf.memory().numTensors;
    await expect(stationarityCertificate(vae, { values: new Float32Array(6), rows: 2, cols: 3 })).rejects.toThrow("data: expected 8 columns (the model's dataDim), got 3");
    expect(tf.memory().numTensors).toBe(before);
    vae.dispose();
  });
});
