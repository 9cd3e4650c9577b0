import * as tf from '@tensorflow/tfjs-core';
import { generateStreamingSegments } from '@trientropy/data';
import { bayesianInformationCriterion, linearVaeParameterCount } from './bic.js';
import { streamingModelSelection } from './streaming-model-selection.js';

describe('linearVaeParameterCount and bayesianInformationCriterion', () => {
  it('count k = H·D + 1 (paper) and D·H + 1 + D − H(H−1)/2 (pPCA)', () => {
    expect([2, 4, 6].map((h) => linearVaeParameterCount(10, h))).toEqual([21, 41, 61]);
    expect([2, 4, 6].map((h) => linearVaeParameterCount(10, h, 'ppca'))).toEqual([30, 45, 56]);
    // The paper's penalties for n = 10 (arXiv 2010.14860, streaming linear-VAE experiment): 48.35, 94.41, 140.46.
    expect([21, 41, 61].map((k) => bayesianInformationCriterion(0, k, 10))).toEqual([21, 41, 61].map((k) => k * Math.log(10)));
    expect(bayesianInformationCriterion(0, 21, 10)).toBeCloseTo(48.35, 2);
    expect(bayesianInformationCriterion(-5, 0, 3)).toBe(10);
    expect(() => bayesianInformationCriterion(Number.NaN, 1, 1)).toThrow('logLikelihood: expected a finite number, got NaN');
    expect(() => linearVaeParameterCount(10, 0)).toThrow('latentDim: expected a positive integer, got 0');
  });
});

describe('streamingModelSelection', () => {
  // Scaled down from the paper's 3 × 100 000 points in batches of 10 at lr 2e-3 (arXiv 2010.14860, streaming linear-VAE experiment) to 3 × 4 000 points
  // in batches of 20 at lr 0.05 with the exact (sampling-free) linear-VAE ELBO as the training objective, so the
  // test runs in seconds. At this length the models are not yet converged (the entropy sum still differs from
  // the ELBO by several per cent late in each segment), yet the entropy-based BIC already picks each segment's
  // true dimension.
  it('recovers the true dimension of each segment (6 → 2 → 4) with the entropy-based BIC', async () => {
    const segmentLength = 4000;
    const batchSize = 20;
    const stream = generateStreamingSegments({ segmentLength, activeDims: [6, 2, 4], seed: 1 });
    const before = tf.memory().numTensors;
    const result = await streamingModelSelection(stream.data, { latentDims: [2, 4, 6], batchSize, learningRate: 0.05, samples: 4, seed: 0, objective: 'exact' });
    expect(tf.memory().numTensors).toBe(before);
    const perSegment = segmentLength / batchSize;
    expect(result.batches).toHaveLength(3 * perSegment);
    expect(result.parameterCounts).toEqual([21, 41, 61]);
    const first = result.batches[0]!;
    expect(first.entropyBic[1]).toBeCloseTo(41 * Math.log(batchSize) - 2 * first.entropySums[1]!, 6);
    [6, 2, 4].forEach((trueDim, segment) => {
      // The last quarter of each segment, after the models have adapted to it.
      const late = result.batches.slice((segment + 1) * perSegment - perSegment / 4, (segment + 1) * perSegment);
      const correct = late.filter((b) => b.entropyChoice === trueDim).length;
      expect(correct / late.length).toBeGreaterThanOrEqual(0.9);
      const meanBic = [0, 1, 2].map((i) => late.reduce((s, b) => s + b.entropyBic[i]!, 0) / late.length);
      expect(result.latentDims[meanBic.indexOf(Math.min(...meanBic))]).toBe(trueDim);
    });
  });

  it('uses the total sample count and the pPCA count when asked, and rejects bad options', async () => {
    const stream = generateStreamingSegments({ segmentLength: 40, activeDims: [2], seed: 2 });
    const result = await streamingModelSelection(stream.data, { latentDims: [1, 3], batchSize: 10, samples: 2, seed: 0, sampleCount: 'total', parameterCount: 'ppca' });
    expect(result.parameterCounts).toEqual([21, 38]);
    const third = result.batches[2]!;
    expect(third.elboBic[0]).toBeCloseTo(21 * Math.log(30) - 2 * third.elbos[0]!, 6);
    await expect(streamingModelSelection(stream.data, { latentDims: [10], seed: 0 })).rejects.toThrow('latentDims: expected a non-empty list of integers in [1, 9], got [10]');
    await expect(streamingModelSelection(stream.data, { latentDims: [2], seed: 0, batchSize: 100 })).rejects.toThrow('stream: expected at least one full batch of 100 rows, got 40 rows');
  });
});
