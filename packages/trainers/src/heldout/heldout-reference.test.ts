import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { LinearVae, type LinearVaeParameters } from '@trientropy/models';
import { iwaeBound } from './iwae-bound.js';
import { monteCarloElbo } from './monte-carlo-elbo.js';

/** Written by tools/reference/trainers_heldout.py (SciPy, float64). */
interface HeldOutFixture {
  parameters: LinearVaeParameters;
  data: number[][];
  logLikelihood: number[];
  elbo: number[];
}

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'linear-heldout.json'), 'utf8')) as HeldOutFixture;
const mean = (values: number[]): number => values.reduce((s, v) => s + v, 0) / values.length;

describe('held-out estimators against the SciPy reference (linear VAE with an inexact encoder)', () => {
  const model = new LinearVae({ dataDim: 4, latentDim: 2 });
  model.setParameters(fixture.parameters);
  const x = tf.tensor2d(fixture.data);
  afterAll(() => {
    x.dispose();
    model.dispose();
  });

  it('the Monte-Carlo ELBO converges to the exact per-point ELBO', async () => {
    // 10⁵ samples: the MC error of the mean is about 0.006 nats here (seen over seeds).
    const estimate = await monteCarloElbo(model, x, { seed: 1, samples: 100_000 });
    expect(Math.abs(estimate.value - mean(fixture.elbo))).toBeLessThan(0.02);
  });

  it('IWAE_k rises with k from the ELBO to the exact log p(x)', async () => {
    const exact = mean(fixture.logLikelihood);
    const elbo = mean(fixture.elbo);
    const bounds: number[] = [];
    for (const k of [1, 10, 100, 1000, 100_000]) bounds.push((await iwaeBound(model, x, { k, seed: 2 })).value);
    expect(Math.abs(bounds[0]! - elbo)).toBeLessThan(1); // one sample: unbiased for the ELBO, but noisy on 8 points
    for (let i = 2; i < bounds.length - 1; i++) expect(bounds[i]!).toBeGreaterThan(bounds[i - 1]!);
    // A bound in expectation: for small k the gap dwarfs the noise and every value is below log p(x) …
    for (const b of bounds.slice(0, 3)) expect(b).toBeLessThan(exact);
    // … while at large k a single realisation fluctuates around it (±0.03 on these 8 points over seeds).
    expect(Math.abs(bounds[3]! - exact)).toBeLessThan(0.1);
    expect(Math.abs(bounds[4]! - exact)).toBeLessThan(0.03);
  });
});
