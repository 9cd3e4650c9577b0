import * as tf from '@tensorflow/tfjs-core';
import { generatePca } from '@trientropy/data';
import { Vae1 } from '@trientropy/models';
import { stationarityCertificate } from './stationarity-certificate.js';

describe('stationarityCertificate: Monte-Carlo gains and their standard errors', () => {
  const data = generatePca({ n: 1000, dataDim: 6, latentDim: 2, noiseStd: 0.2, seed: 11 }).data;
  let x: tf.Tensor2D;
  let model: Vae1;
  beforeAll(() => {
    x = tf.tensor2d(data.values, [data.rows, data.cols]);
    model = new Vae1({ dataDim: 6, latentDim: 2, hiddenSizes: [8], seed: 4 });
    model.normalizeLatentMoments(x);
    model.setOptimalVariances(x, { seed: 0 });
  });
  afterAll(() => {
    x.dispose();
    model.dispose();
  });
  // Only the gradient check is judged here: the other tolerances are set beyond reach.
  const loose = { rawGap: 1e9, ascent: 1e9, latentEscape: 1e9 };

  it('measures every gain with a standard error, and is undecided, certifies or refuses as the tolerance sits within, above or below ±2 s.e. of it', async () => {
    const before = tf.memory().numTensors;
    const first = await stationarityCertificate(model, x, { seed: 3, ascentSteps: 0, tolerances: { ...loose, gain: 1e9 } });
    expect(first.converged).toBe(true);
    const worst = first.groups.find((g) => g.name === first.worstGroup)!;
    expect(worst.gain).toBeGreaterThan(0);
    expect(worst.gainStandardError).toBeGreaterThan(0);
    expect(worst.gainStandardError).toBeLessThan(worst.gain); // an untrained model: the gain stands out of the noise
    const scale = Math.max(Math.abs(first.elbo), 1);
    const at = (tolerance: number) => stationarityCertificate(model, x, { seed: 3, ascentSteps: 0, tolerances: { ...loose, gain: tolerance } });

    // The same seed gives the same draws: a tolerance equal to the measured gain lies inside its interval.
    const straddled = await at(worst.relativeGain);
    expect(straddled.groups.find((g) => g.name === worst.name)!.verdict).toBe('undecided');
    expect(straddled.converged).toBe(false);
    const others = straddled.groups.filter((g) => g.verdict === 'above');
    expect(straddled.undecided).toBe(others.length === 0);
    expect(straddled.reasons.some((r) => r.startsWith('gradient undecided') && r.includes(`${worst.name} ${worst.relativeGain.toExponential(2)} ± `))).toBe(true);

    const maxUpper = Math.max(...first.groups.map((g) => (g.gain + 2 * g.gainStandardError) / scale));
    const certified = await at(maxUpper * 1.001);
    expect(certified.converged).toBe(true);
    expect(certified.groups.every((g) => g.verdict === 'below')).toBe(true);

    const refused = await at((worst.gain - 2.5 * worst.gainStandardError) / scale);
    expect(refused.groups.find((g) => g.name === worst.name)!.verdict).toBe('above');
    expect(refused.undecided).toBe(false);
    expect(refused.reasons.some((r) => r.startsWith('gradient: a step along the gradient raises'))).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives the multi-step probe a standard error, which more samples shrink', async () => {
    const coarse = await stationarityCertificate(model, x, { seed: 5, samples: 1 });
    const fine = await stationarityCertificate(model, x, { seed: 5, samples: 16 });
    for (const c of [coarse, fine]) {
      expect(c.ascent!.stepsTaken).toBeGreaterThan(0);
      expect(c.ascent!.standardError).toBeGreaterThan(0);
      expect(['below', 'above', 'undecided']).toContain(c.ascent!.verdict);
    }
    // 1/√16 of the noise, give or take the different steps the two probes take.
    expect(fine.ascent!.standardError).toBeLessThan(0.6 * coarse.ascent!.standardError);
  });
});
