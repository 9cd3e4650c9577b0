import * as tf from '@tensorflow/tfjs-core';
import { generatePca } from '@trientropy/data';
import { Vae1 } from '@trientropy/models';
import { evaluateVae } from './evaluate.js';

describe('evaluateVae', () => {
  const data = generatePca({ n: 300, seed: 2 }).data;

  it('averages per data point over batches: the entropy terms match one full-batch pass', async () => {
    const model = new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [6], seed: 4 });
    const x = tf.tensor2d(data.values, [data.rows, data.cols]);
    const before = tf.memory().numTensors;
    const batched = await evaluateVae(model, x, { seed: 0, samples: 2, batchSize: 70 });
    expect(tf.memory().numTensors).toBe(before);
    const full = model.entropies(x);
    const [prior, encoder, decoder, sum] = await Promise.all([full.prior, full.encoder, full.decoder, full.sum].map(async (t) => (await t.data())[0] as number));
    tf.dispose([full.prior, full.encoder, full.decoder, full.sum]);
    expect(batched.entropies.prior).toBeCloseTo(prior!, 5);
    expect(batched.entropies.encoder).toBeCloseTo(encoder!, 5);
    expect(batched.entropies.decoder).toBeCloseTo(decoder!, 5);
    expect(batched.entropySum).toBeCloseTo(sum!, 4);
    expect(batched.relativeGap).toBeCloseTo(Math.abs(batched.elbo - batched.entropySum) / Math.abs(batched.elbo), 12);
    expect(batched.elbo).toBeCloseTo(batched.expectedLogLikelihood - batched.kl, 4);
    expect(batched.varianceRatio).toBeCloseTo(batched.squaredError / (10 * batched.decoderVariance!), 10);
    expect(batched.latentSecondMoments).toHaveLength(2);
    x.dispose();
    model.dispose();
  });

  it('satisfies the gap identity ELBO − S = (D/2)(1 − R/(Dσ²)) − ½Σ(m_h − 1) (gap identity derived from arXiv 2010.14860)', async () => {
    const model = new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [6], seed: 9, initialLogDecoderVariance: -1 });
    const x = tf.tensor2d(data.values, [data.rows, data.cols]);
    const e = await evaluateVae(model, x, { seed: 1, samples: 3, batchSize: 100 });
    const predicted = 5 * (1 - e.varianceRatio!) - 0.5 * e.latentSecondMoments.reduce((s, m) => s + (m - 1), 0);
    expect(e.elbo - e.entropySum).toBeCloseTo(predicted, 3);
    x.dispose();
    model.dispose();
  });

  it('is reproducible for every seed, 0 included (issue 14: seed 0 was "no seed" for tfjs)', async () => {
    const model = new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [6], seed: 3 });
    const x = tf.tensor2d(data.values.subarray(0, 200), [20, 10]);
    for (const seed of [0, -1, 2 ** 32]) {
      const first = await evaluateVae(model, x, { seed, samples: 2 });
      const again = await evaluateVae(model, x, { seed, samples: 2 });
      expect(again.elbo).toBe(first.elbo);
      expect(again.expectedLogLikelihood).toBe(first.expectedLogLikelihood);
    }
    x.dispose();
    model.dispose();
  });

  it('rejects a bad batch size and empty data', async () => {
    const model = new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [6] });
    const x = tf.tensor2d(data.values, [data.rows, data.cols]);
    await expect(evaluateVae(model, x, { seed: 0, batchSize: 0 })).rejects.toThrow('batchSize: expected a positive integer, got 0');
    const empty = tf.zeros([0, 10]) as tf.Tensor2D;
    await expect(evaluateVae(model, empty, { seed: 0 })).rejects.toThrow('data: expected at least one row, got 0');
    tf.dispose([x, empty]);
    model.dispose();
  });
});
