import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom, dataMatrix } from '@trientropy/data';
import { BernoulliVae, LinearVae, Vae3, type Vae3VarianceModel, ppcaMaximumLikelihood } from '@trientropy/models';
import { stationarityCertificate } from './stationarity-certificate.js';

/** pPCA data x = μ + s·W₀z + noise·ε with |μ_d| ≤ 10, generated here (seeded). */
function ppca(rows: number, d: number, h: number, scale: number, noise: number, seed: number) {
  const rng = new SeededRandom(seed);
  const w = Array.from({ length: d * h }, () => rng.normal());
  const mean = Array.from({ length: d }, () => 10 * (2 * rng.uniform() - 1));
  const values = new Float32Array(rows * d);
  for (let n = 0; n < rows; n++) {
    const z = Array.from({ length: h }, () => rng.normal());
    for (let i = 0; i < d; i++) {
      let v = mean[i]!;
      for (let k = 0; k < h; k++) v += scale * w[i * h + k]! * z[k]!;
      values[n * d + i] = v + noise * rng.normal();
    }
  }
  return dataMatrix(values, rows, d);
}

describe('stationarityCertificate: the multi-step ascent probe', () => {
  it('refuses a slow valley that the one-gradient line search and the raw gap both pass (and is fooled with the probe off)', async () => {
    // The pPCA optimum moved along an exact valley of the ELBO: latent 1 becomes c·z + μ with c = √(1 − μ²) (so
    // m_1 = 1 and the gap identity still gives 0) and the decoder undoes it (W₁/c, b − W₁μ/c), so the
    // reconstructions are unchanged and only KL rises, by −½ log(1 − μ²) nats. High SNR makes the valley narrow:
    // the gradient points across it and one step along it gains almost nothing.
    const data = ppca(2000, 20, 2, 0.1, 0.02, 7);
    const x = tf.tensor2d(data.values, [data.rows, data.cols]);
    const solution = ppcaMaximumLikelihood(data, 2);
    const model = new LinearVae({ dataDim: 20, latentDim: 2, seed: 1 });
    model.setPpcaSolution(solution);
    const mu = 0.6;
    const c = Math.sqrt(1 - mu * mu);
    const v = model.namedVariables();
    tf.tidy(() => {
      const scale = tf.tensor1d([c, 1]);
      const shift = tf.tensor1d([mu, 0]);
      const w = v['decoder/layer0/weight']!;
      v['encoder/mean/weight']!.assign(tf.mul(v['encoder/mean/weight']!, scale));
      v['encoder/mean/bias']!.assign(tf.add(tf.mul(v['encoder/mean/bias']!, scale), shift));
      v['encoder/logVariance']!.assign(tf.add(v['encoder/logVariance']!, tf.mul(tf.log(scale), 2)));
      const moved = tf.div(w, tf.expandDims(scale, 1));
      v['decoder/layer0/bias']!.assign(tf.sub(v['decoder/layer0/bias']!, tf.squeeze(tf.matMul(tf.expandDims(shift, 0), moved))));
      w.assign(moved);
    });
    const parameters = model.parameters();
    const before = tf.memory().numTensors;

    const blind = await stationarityCertificate(model, x, { ascentSteps: 0 });
    const shortfall = (solution.logLikelihood - blind.elbo) / Math.abs(solution.logLikelihood);
    expect(shortfall).toBeGreaterThan(4e-3); // measurably below the reachable optimum (ℓ_ML)…
    expect(blind.rawGap.relativeGap).toBeLessThan(1e-5); // …with no gap…
    expect(blind.maxRelativeGain).toBeLessThan(blind.tolerances.gain); // …and one step gaining less than the tolerance:
    expect(blind.ascent).toBeUndefined();
    expect(blind.converged).toBe(true); // without the probe, the certificate is fooled.

    const probed = await stationarityCertificate(model, x);
    expect(probed.ascent!.steps).toBe(10);
    expect(probed.ascent!.relativeGain).toBeGreaterThan(10 * probed.tolerances.ascent);
    expect(probed.checks.ascent).toBe(false);
    expect(probed.converged).toBe(false);
    expect(probed.reasons.some((r) => r.startsWith('ascent probe'))).toBe(true);
    expect(model.parameters()).toEqual(parameters); // the probe works on a copy: every parameter restored exactly
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    x.dispose();
  });

  it('checks ascentSteps', async () => {
    const model = new LinearVae({ dataDim: 3, latentDim: 1, seed: 0 });
    const x = tf.ones([4, 3]) as tf.Tensor2D;
    await expect(stationarityCertificate(model, x, { ascentSteps: -1 })).rejects.toThrow('ascentSteps: expected an integer ≥ 0, got -1');
    await expect(stationarityCertificate(model, x, { tolerances: { ascent: 0 } })).rejects.toThrow('tolerances.ascent');
    model.dispose();
    x.dispose();
  });
});

/** A VAE-3 whose latents collapsed onto the prior: encoder zero (q = N(0, 1)), decoder blind to z, mean output at the data mean. */
function collapsedVae3(x: tf.Tensor2D, varianceModel: Vae3VarianceModel): Vae3 {
  const d = x.shape[1];
  const model = new Vae3({ dataDim: d, latentDim: 2, hiddenSizes: [8], seed: 2, varianceModel });
  const named = model.namedVariables();
  for (const [name, variable] of Object.entries(named)) if (name.startsWith('encoder/') || name === 'decoder/layer0/weight') variable.assign(tf.zerosLike(variable));
  tf.tidy(() => {
    const bias = named['decoder/layer1/bias']!;
    const offset = tf.sub(tf.mean(x, 0), tf.squeeze(model.decode(tf.zeros([1, 2]))));
    bias.assign(tf.add(bias, varianceModel === 'per-dimension' ? offset : tf.concat([offset, tf.zeros([d])])));
  });
  model.setOptimalVariances(x, { seed: 0 });
  return model;
}

describe('stationarityCertificate: the collapsed-latent saddle test beyond scalar σ²', () => {
  const data = ppca(1000, 8, 2, 1, 0.1, 3);
  let x: tf.Tensor2D;
  beforeAll(() => {
    x = tf.tensor2d(data.values, [data.rows, data.cols]);
  });
  afterAll(() => x.dispose());

  it.each<Vae3VarianceModel>(['per-dimension', 'latent-dependent'])('refuses a collapsed VAE-3 (%s σ²) by its whitened residuals, and passes that check with the test off', async (varianceModel) => {
    const model = collapsedVae3(x, varianceModel);
    const before = tf.memory().numTensors;
    const certificate = await stationarityCertificate(model, x, { ascentSteps: 0 });
    expect(certificate.saddleTest).toMatchObject({ applies: true, decoder: 'diagonal-variance', collapsedLatents: [0, 1] });
    // Rank-2 data: the whitened residuals keep a direction several times the decoder's noise model (1).
    expect(certificate.latentEscape!.residualEigenvalueRatio).toBeGreaterThan(3);
    expect(certificate.checks.latentEscape).toBe(false);
    expect(certificate.converged).toBe(false);
    expect(certificate.reasons.some((r) => r.includes('collapsed latents 0, 1'))).toBe(true);
    const off = await stationarityCertificate(model, x, { ascentSteps: 0, tolerances: { latentEscape: 1e9 } });
    expect(off.checks.latentEscape).toBe(true);
    expect(off.reasons.some((r) => r.includes('collapsed latents'))).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('says that the saddle test does not apply to a Bernoulli decoder, naming the collapsed latents it cannot judge', async () => {
    const binary = tf.tidy(() => tf.cast(tf.greater(x, tf.mean(x, 0)), 'float32')) as tf.Tensor2D;
    const model = new BernoulliVae({ dataDim: 8, latentDim: 2, hiddenSizes: [8], seed: 0 });
    for (const [name, variable] of Object.entries(model.namedVariables())) if (name.startsWith('encoder/')) variable.assign(tf.zerosLike(variable));
    const certificate = await stationarityCertificate(model, binary, { ascentSteps: 0 });
    expect(certificate.saddleTest.applies).toBe(false);
    expect(certificate.saddleTest.decoder).toBe('not-gaussian');
    expect(certificate.saddleTest.collapsedLatents).toEqual([0, 1]);
    expect(certificate.saddleTest.note).toMatch(/^not applicable to a bernoulli decoder.*z1 z2 have collapsed/);
    expect(certificate.latentEscape).toBeUndefined();
    expect(certificate.checks.latentEscape).toBeUndefined();
    model.dispose();
    binary.dispose();
  });
});
