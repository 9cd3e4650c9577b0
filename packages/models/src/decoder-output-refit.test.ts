import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '@trientropy/distributions';
import { type LeastSquaresStatistics, leastSquaresAffineMap, mergeLeastSquaresStatistics, sumOfSquaredResiduals } from './decoder-output-refit.js';
import { Vae1 } from './index.js';

/** Centred statistics of explicit rows, straight from the definitions (float64). */
function statisticsOf(features: number[][], targets: number[][]): LeastSquaresStatistics {
  const n = features.length;
  const f = features[0]!.length;
  const d = targets[0]!.length;
  const featureMean = Float64Array.from({ length: f }, (_, i) => features.reduce((s, row) => s + row[i]!, 0) / n);
  const targetMean = Float64Array.from({ length: d }, (_, j) => targets.reduce((s, row) => s + row[j]!, 0) / n);
  const featureScatter = new Float64Array(f * f);
  const crossScatter = new Float64Array(f * d);
  let targetScatter = 0;
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < f; i++) {
      for (let k = 0; k < f; k++) featureScatter[i * f + k]! += (features[r]![i]! - featureMean[i]!) * (features[r]![k]! - featureMean[k]!);
      for (let j = 0; j < d; j++) crossScatter[i * d + j]! += (features[r]![i]! - featureMean[i]!) * (targets[r]![j]! - targetMean[j]!);
    }
    for (let j = 0; j < d; j++) targetScatter += (targets[r]![j]! - targetMean[j]!) ** 2;
  }
  return { rows: n, featureMean, targetMean, featureScatter, crossScatter, targetScatter };
}

/** Deterministic pseudo-random numbers in [−1, 1). */
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state / 2147483648) * 2 - 1;
  };
}

describe('least-squares statistics and solve (host, float64)', () => {
  const next = sequence(7);
  const features = Array.from({ length: 40 }, () => [next() + 3, next(), 2 * next() - 5]);
  const trueWeight = [
    [0.5, -1, 2],
    [1.5, 0.25, 0],
    [-2, 1, 0.75],
  ];
  const trueBias = [10, -3, 0.5];
  const exactTargets = features.map((row) => trueBias.map((b, j) => b + row.reduce((s, v, i) => s + v * trueWeight[i]![j]!, 0)));

  it('merges two chunks into the statistics of their union', () => {
    const targets = exactTargets.map((row) => row.map((v) => v + next()));
    const whole = statisticsOf(features, targets);
    const merged = mergeLeastSquaresStatistics(statisticsOf(features.slice(0, 13), targets.slice(0, 13)), statisticsOf(features.slice(13), targets.slice(13)));
    expect(merged.rows).toBe(40);
    for (const key of ['featureMean', 'targetMean', 'featureScatter', 'crossScatter'] as const) {
      Array.from(whole[key]).forEach((v, i) => expect(merged[key][i]).toBeCloseTo(v, 10));
    }
    expect(merged.targetScatter).toBeCloseTo(whole.targetScatter, 10);
  });

  it('recovers an exact affine map and computes its residual like a direct sum', () => {
    const stats = statisticsOf(features, exactTargets);
    const fit = leastSquaresAffineMap(stats, new Float64Array(9));
    trueWeight.flat().forEach((w, i) => expect(fit.weight[i]).toBeCloseTo(w, 5));
    trueBias.forEach((b, j) => expect(fit.bias[j]).toBeCloseTo(b, 4));
    // Residual of an arbitrary map: the centred formula against the plain sum over rows.
    const weight = Float64Array.from({ length: 9 }, () => next());
    const bias = Float64Array.from({ length: 3 }, () => next());
    const direct = features.reduce((s, row, r) => s + exactTargets[r]!.reduce((t, x, j) => t + (x - bias[j]! - row.reduce((u, v, i) => u + v * weight[i * 3 + j]!, 0)) ** 2, 0), 0);
    expect(sumOfSquaredResiduals(stats, weight, bias)).toBeCloseTo(direct, 8);
  });

  it('keeps the current weights along a feature that never varies (ridge towards W₀)', () => {
    const constant = features.map((row) => [row[0]!, 1]);
    const targets = features.map((row) => [2 * row[0]! + 1]);
    const fit = leastSquaresAffineMap(statisticsOf(constant, targets), Float64Array.from([0, 0.3]));
    expect(fit.weight[0]).toBeCloseTo(2, 5);
    expect(fit.weight[1]).toBeCloseTo(0.3, 6);
    expect(fit.bias[0]! + 0.3).toBeCloseTo(1, 5);
  });
});

describe('ScalarGaussianVae.refitDecoderOutputLayer', () => {
  const D = 5;
  let model: Vae1;
  let x: tf.Tensor2D;

  beforeEach(() => {
    model = new Vae1({ dataDim: D, latentDim: 2, hiddenSizes: [6, 4], activation: 'tanh', seed: 5, initialEncoderLogVariance: -1 });
    x = tf.tidy(() => tf.add(tf.randomNormal([90, D], 0, 1, 'float32', 3), tf.tensor1d([10, -2, 0, 1, 4])) as tf.Tensor2D);
  });

  afterEach(() => {
    model.dispose();
    x.dispose();
  });

  /** R on the draws of chunk 0 (seed deriveSeed(seed, 0)), and its gradient with respect to the output layer. */
  function squaredErrorAndGradient(seed: number, samples: number): { r: number; gradientNorm: number } {
    const output = model.decoderMean.layers[model.decoderMean.layers.length - 1]!;
    const { value, grads } = tf.variableGrads(() => model.elbo(x, { seed: deriveSeed(seed, 0), samples }).squaredError as tf.Scalar, [output.weight, output.bias]);
    const norm = tf.tidy(() => tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))));
    const result = { r: value.dataSync()[0]!, gradientNorm: norm.dataSync()[0]! };
    tf.dispose([value, norm, ...Object.values(grads)]);
    return result;
  }

  it('lowers R on its draws to the least-squares optimum: the output layer’s gradient vanishes', () => {
    const before = squaredErrorAndGradient(11, 3);
    const tensors = tf.memory().numTensors;
    const result = model.refitDecoderOutputLayer(x, { seed: 11, samples: 3 });
    expect(tf.memory().numTensors).toBe(tensors);
    const after = squaredErrorAndGradient(11, 3);
    expect(result.applied).toBe(true);
    // The reported R values are those the model's own ELBO computes on the same draws, up to the float32 forward
    // pass: with columns offset by 10, a BLAS backend's summation order moves R by up to ~1e-4 of itself (6.4e-5
    // measured on native), while the refit accumulates in float64.
    expect(Math.abs(result.squaredErrorBefore - before.r)).toBeLessThan(2e-4 * before.r);
    expect(Math.abs(result.squaredErrorAfter - after.r)).toBeLessThan(2e-4 * after.r);
    expect(after.r).toBeLessThan(0.5 * before.r);
    expect(after.gradientNorm).toBeLessThan(1e-3 * before.gradientNorm);
  });

  it('raises the Monte-Carlo ELBO on the same draws and leaves the encoder and σ² alone', () => {
    const elboAt = () => tf.tidy(() => model.elbo(x, { seed: deriveSeed(4, 0), samples: 2 }).elbo.dataSync()[0]!);
    const encoderBefore = tf.tidy(() => model.encode(x).mean.dataSync());
    const sigmaBefore = model.logDecoderVariance.dataSync()[0];
    const before = elboAt();
    model.refitDecoderOutputLayer(x, { seed: 4, samples: 2 });
    expect(elboAt()).toBeGreaterThan(before);
    expect(Array.from(tf.tidy(() => model.encode(x).mean.dataSync()))).toEqual(Array.from(encoderBefore));
    expect(model.logDecoderVariance.dataSync()[0]).toBe(sigmaBefore);
  });

  it('leaves the layer as it is when it is already optimal', () => {
    model.refitDecoderOutputLayer(x, { seed: 8, samples: 2 });
    const second = model.refitDecoderOutputLayer(x, { seed: 8, samples: 2 });
    expect(second.squaredErrorAfter).toBeLessThanOrEqual(second.squaredErrorBefore * (1 + 1e-6));
  });

  it('rejects bad options and non-finite data without leaking tensors', () => {
    const tensors = tf.memory().numTensors;
    expect(() => model.refitDecoderOutputLayer(x, { seed: 1, samples: 0 })).toThrow(/samples/);
    expect(() => model.refitDecoderOutputLayer(x, { seed: 1.5 })).toThrow(/seed/);
    expect(() => model.refitDecoderOutputLayer(x, { seed: 1, batchSize: -2 })).toThrow(/batchSize/);
    const wide = tf.zeros([3, D + 1]);
    expect(() => model.refitDecoderOutputLayer(wide, { seed: 1 })).toThrow();
    wide.dispose();
    const bad = tf.tidy(() => tf.concat([x, tf.fill([1, D], Number.NaN)]));
    expect(() => model.refitDecoderOutputLayer(bad, { seed: 1 })).toThrow(/finite/);
    bad.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('works in chunks (several seeds) and refuses a disposed model', () => {
    const result = model.refitDecoderOutputLayer(x, { seed: 2, samples: 2, batchSize: 25 });
    expect(result.squaredErrorAfter).toBeLessThan(result.squaredErrorBefore);
    model.dispose();
    expect(() => model.refitDecoderOutputLayer(x, { seed: 2 })).toThrow(/disposed/);
  });
});
