import * as tf from '@tensorflow/tfjs-core';
import { generatePca, minMaxScale } from '@trientropy/data';
import { VAE_KINDS, Vae2, createVaeModel } from '@trientropy/models';
import { trainVae } from './train.js';
import type { VarianceUpdate } from './training-session.js';

// Scaled to [0, 1] so that the Bernoulli decoders get valid data too.
const { data } = minMaxScale(generatePca({ n: 60, seed: 2 }).data);

describe('trainVae with every model variant', () => {
  const modes: VarianceUpdate[] = ['gradient', 'closed-form-per-epoch', 'closed-form-per-step'];
  it.each(VAE_KINDS.flatMap((kind) => modes.map((mode) => [kind, mode] as const)))('trains %s with varianceUpdate %s, finite and leak-free', async (kind, mode) => {
    const model = createVaeModel(kind, { dataDim: 10, latentDim: 2, seed: 3 });
    const before = tf.memory().numTensors;
    const result = await trainVae(model, data, { epochs: 2, batchSize: 20, learningRate: 1e-3, seed: 0, varianceUpdate: mode, evaluation: { samples: 2 } });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.epochs).toHaveLength(2);
    for (const record of result.epochs) expect(Number.isFinite(record.elbo) && Number.isFinite(record.entropySum)).toBe(true);
    model.dispose();
  });

  it('normalises the latents to m_h = 1 every epoch when asked, and refuses models without that step', async () => {
    const model = createVaeModel('vae-1', { dataDim: 10, latentDim: 2, seed: 3 });
    const result = await trainVae(model, data, { epochs: 2, batchSize: 20, learningRate: 1e-3, seed: 0, normalizeLatents: true, evaluation: { samples: 2 } });
    for (const m of result.final.latentSecondMoments) expect(m).toBeCloseTo(1, 5);
    model.dispose();
    const vae3 = createVaeModel('vae-3', { dataDim: 10, latentDim: 2, seed: 3 });
    await expect(trainVae(vae3, data, { epochs: 1, batchSize: 20, learningRate: 1e-3, seed: 0, normalizeLatents: true })).rejects.toThrow(
      "normalizeLatents: expected a model with a scalar-σ² Gaussian decoder (vae-0, vae-1, vae-2, linear), got 'vae-3'",
    );
    vae3.dispose();
  });

  it('sets VAE-2 prior variances to their closed form α_h² = m_h every epoch', async () => {
    const model = createVaeModel('vae-2', { dataDim: 10, latentDim: 2, seed: 3 });
    expect(model).toBeInstanceOf(Vae2);
    const result = await trainVae(model, data, { epochs: 2, batchSize: 20, learningRate: 1e-3, seed: 0, evaluation: { samples: 2 } });
    // m_h does not depend on the samples, so after α² ← m_h the ratios are 1 to float precision.
    for (const ratio of result.final.latentMomentRatios) expect(ratio).toBeCloseTo(1, 5);
    model.dispose();
  });
});
