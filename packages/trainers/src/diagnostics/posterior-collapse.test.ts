import * as tf from '@tensorflow/tfjs-core';
import { generatePca } from '@trientropy/data';
import { Vae1 } from '@trientropy/models';
import { trainVae } from '../train.js';
import { detectPosteriorCollapse, posteriorCollapseMonitor } from './posterior-collapse.js';

describe('detectPosteriorCollapse', () => {
  it('counts a latent exactly at the threshold as collapsed and one just below as active', () => {
    const report = detectPosteriorCollapse([1.0, 0.999, 1.4189, -2]);
    expect(report.collapsed).toEqual([0, 2]);
    expect(report.active).toEqual([1, 3]);
    expect(detectPosteriorCollapse([1.2, 0.5], 1.3).collapsed).toEqual([]);
  });

  it('rejects non-finite entropies and thresholds, naming the argument', () => {
    expect(() => detectPosteriorCollapse([0, Number.NaN])).toThrow('entropies[1]: expected a finite number of nats, got NaN');
    expect(() => detectPosteriorCollapse([0], Number.POSITIVE_INFINITY)).toThrow('threshold: expected a finite number');
  });
});

describe('posteriorCollapseMonitor', () => {
  it('reports the latents beyond the data’s intrinsic dimension as collapsed (H = 4 on 2-D PCA data)', async () => {
    const data = generatePca({ n: 400, dataDim: 10, latentDim: 2, seed: 11 }).data;
    const model = new Vae1({ dataDim: 10, latentDim: 4, hiddenSizes: [16], seed: 2 });
    const before = tf.memory().numTensors;
    const monitor = posteriorCollapseMonitor(model, data, { ema: 0.5 });
    await trainVae(model, data, { epochs: 12, batchSize: 40, learningRate: 1e-2, seed: 0, evaluation: { samples: 2 }, callbacks: monitor });
    expect(monitor.history).toHaveLength(12);
    const last = monitor.latest!;
    expect(last.active).toHaveLength(2);
    expect(last.collapsed).toHaveLength(2);
    // Collapsed latents head for the prior’s per-latent entropy ½log(2πe) ≈ 1.419; active ones sit well below 1.
    for (const h of last.collapsed) expect(last.rawEntropies[h]!).toBeGreaterThan(1.0);
    for (const h of last.active) expect(last.rawEntropies[h]!).toBeLessThan(0.5);
    // The EMA lags the raw values; with α = 0.5 the smoothed value lies between the last two raw ones.
    const previous = monitor.history[10]!;
    const h0 = last.active[0]!;
    expect(last.entropies[h0]).toBeCloseTo(0.5 * previous.entropies[h0]! + 0.5 * last.rawEntropies[h0]!, 10);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('rejects an EMA weight outside (0, 1]', () => {
    const model = new Vae1({ dataDim: 3, latentDim: 1, hiddenSizes: [2], seed: 0 });
    expect(() => posteriorCollapseMonitor(model, tf.zeros([1, 3]) as tf.Tensor2D, { ema: 0 })).toThrow('ema: expected a weight in (0, 1], got 0');
    model.dispose();
  });
});
