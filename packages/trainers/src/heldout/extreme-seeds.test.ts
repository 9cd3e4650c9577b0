import * as tf from '@tensorflow/tfjs-core';
import { generatePca } from '@trientropy/data';
import { Vae1, Vae3 } from '@trientropy/models';
import { stationarityCertificate } from '../diagnostics/stationarity-certificate.js';
import { entropySumEstimate } from './entropy-sum-estimate.js';
import { iwaeBound } from './iwae-bound.js';
import { monteCarloElbo } from './monte-carlo-elbo.js';

// The estimators derive one seed per chunk (and per purpose) from the caller's seed with deriveSeed. Near the ends of
// the safe integers `seed + k` used to round (two chunks drew the same noise) or leave the safe integers (a refused
// seed deep inside a run): every safe seed, the extremes included, must give finite, reproducible estimates, and the
// two largest seeds must draw different noise.
const MAX = Number.MAX_SAFE_INTEGER;
const data = generatePca({ n: 96, dataDim: 6, latentDim: 2, noiseStd: 0.3, seed: 2 }).data;
// batchSize 32 makes three chunks, so the derived seeds seed + 0, 1, 2 cross 2⁵³ − 1 for the largest seeds.
const batchSize = 32;

async function estimates(model: Vae1 | Vae3, seed: number): Promise<number[]> {
  const elbo = await monteCarloElbo(model, data, { seed, samples: 4, batchSize });
  const iwae = await iwaeBound(model, data, { k: 4, seed, batchSize });
  const entropySum = await entropySumEstimate(model, data, { seed, samples: 4, trustSamples: 4, batchSize, certificate: false });
  return [elbo.value, elbo.standardError, iwae.value, entropySum.value];
}

describe.each([
  ['VAE-1', () => new Vae1({ dataDim: 6, latentDim: 2, hiddenSizes: [5], seed: 1 })],
  ['VAE-3 (decoder entropy by sampling)', () => new Vae3({ dataDim: 6, latentDim: 2, hiddenSizes: [5], seed: 1 })],
] as const)('held-out estimators of %s at the extreme safe seeds', (_name, create) => {
  it.each([MAX, MAX - 1, -MAX, 0])('seed %d: finite, the same twice, no leaked tensors', async (seed) => {
    const model = create();
    const before = tf.memory().numTensors;
    const first = await estimates(model, seed);
    const second = await estimates(model, seed);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    for (const value of first) expect(Number.isFinite(value)).toBe(true);
    expect(second).toEqual(first);
  });

  it('seeds 2⁵³ − 1 and 2⁵³ − 2 draw different noise (no rounding onto one stream)', async () => {
    const model = create();
    const [top, below] = [await estimates(model, MAX), await estimates(model, MAX - 1)];
    model.dispose();
    expect(top[0]).not.toBe(below[0]);
    expect(top[2]).not.toBe(below[2]);
  });
});

describe('stationarityCertificate at the extreme safe seeds', () => {
  it.each([MAX, -MAX])('seed %d: a Monte-Carlo certificate with finite numbers, the same twice', async (seed) => {
    const model = new Vae1({ dataDim: 6, latentDim: 2, hiddenSizes: [5], seed: 1 });
    const x = tf.tensor2d(data.values, [data.rows, data.cols]);
    const before = tf.memory().numTensors;
    const first = await stationarityCertificate(model, x, { seed, samples: 4, batchSize });
    const second = await stationarityCertificate(model, x, { seed, samples: 4, batchSize });
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
    expect(first.gradientMethod).toBe('monte-carlo');
    expect(Number.isFinite(first.elbo) && Number.isFinite(first.maxRelativeGain)).toBe(true);
    expect(second.elbo).toBe(first.elbo);
    expect(second.maxRelativeGain).toBe(first.maxRelativeGain);
  });
});
