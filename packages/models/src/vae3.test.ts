import * as tf from '@tensorflow/tfjs-core';
import { Normal } from '@trientropy/distributions';
import { Vae3 } from './index.js';
import { read, relativeError, scalar, values } from './test-support/tensors.js';

const D = 5;
const H = 2;

describe('Vae3', () => {
  let model: Vae3;
  let x: tf.Tensor2D;

  beforeEach(() => {
    model = new Vae3({ dataDim: D, latentDim: H, hiddenSizes: [9], activation: 'tanh', seed: 12, initialEncoderLogVariance: -0.4, initialLogDecoderVariance: 0.5 });
    x = tf.randomNormal([40, D], 0.2, 1.3, 'float32', 8) as tf.Tensor2D;
  });

  afterEach(() => {
    model.dispose();
    x.dispose();
  });

  it('computes E_q log N(x; μ(z), diag σ²(z)) like an independent Normal.logProb estimate', () => {
    const [seed, samples] = [3, 4];
    const terms = read(model.elbo(x, { seed, samples }));
    const independent = tf.tidy(() => {
      const { mean, logVariance } = model.encode(x);
      const z = tf.reshape(Normal.fromLogVariance(mean, logVariance).rsample([samples], seed), [samples * 40, H]);
      const likelihood = new Normal(model.decode(z), tf.sqrt(model.decoderVarianceAt(z)));
      return tf.mean(tf.sum(likelihood.logProb(tf.tile(x, [samples, 1])), 1));
    });
    expect(relativeError(terms.expectedLogLikelihood, scalar(independent))).toBeLessThan(1e-5);
  });

  it('satisfies the VAE-3 gap identity F − S = ½(D − Q) − ½Σ(m_h − 1) with the same samples (gap identity derived from arXiv 2010.14860)', () => {
    for (const seed of [1, 2]) {
      const options = { seed, samples: 3 };
      const terms = read(model.elbo(x, options));
      const s = read(model.entropies(x, options)).sum;
      const m = values(model.latentSecondMoments(x));
      const predicted = 0.5 * (D - terms.standardizedSquaredError!) - 0.5 * m.reduce((a, mh) => a + mh - 1, 0);
      expect(Math.abs(terms.elbo - s)).toBeGreaterThan(0.2);
      expect(terms.elbo - s).toBeCloseTo(predicted, 4);
    }
  });

  it('after s ← s·Q/D has Q = D and reconstruction term = −H_dec for those samples (arXiv 2010.14860, stationary-point conditions)', () => {
    const options = { seed: 5, samples: 3 };
    const before = read(model.elbo(x, options)).standardizedSquaredError!;
    expect(Math.abs(before / D - 1)).toBeGreaterThan(0.1);
    const scaleBefore = scalar(model.decoderVariance());
    model.setOptimalVariances(x, options);
    expect(scalar(model.decoderVariance())).toBeCloseTo((scaleBefore * before) / D, 4);
    const terms = read(model.elbo(x, options));
    const entropies = read(model.entropies(x, options));
    expect(terms.standardizedSquaredError!).toBeCloseTo(D, 4);
    expect(relativeError(terms.expectedLogLikelihood, -entropies.decoder)).toBeLessThan(1e-5);
  });

  it('samples the decoder entropy: the estimate depends on the seed and converges with more samples', () => {
    const a = read(model.entropies(x, { seed: 1, samples: 1 })).decoder;
    const b = read(model.entropies(x, { seed: 2, samples: 1 })).decoder;
    expect(a).not.toBe(b);
    const many = [1, 2].map((seed) => read(model.entropies(x, { seed, samples: 400 })).decoder);
    expect(Math.abs(many[0]! - many[1]!)).toBeLessThan(Math.abs(a - b) + 1e-3);
  });

  it('refuses setDecoderVariance, trains every variable and does not leak', () => {
    expect(model.decoderVarianceType).toBe('latent-dependent');
    expect(() => model.setDecoderVariance(1)).toThrow(/Vae3.setDecoderVariance is not available: the decoder variance is σ²\(z\), a function of z/);
    const variables = model.trainableVariables();
    const { value, grads } = tf.variableGrads(() => tf.neg(model.objective(x, { seed: 1 })) as tf.Scalar, variables);
    for (const v of variables) expect(scalar(tf.norm(grads[v.name]!))).toBeGreaterThan(0);
    tf.dispose([value, ...Object.values(grads)]);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      model.elbo(x, { seed: 1, samples: 2 });
      model.entropies(x);
      model.sample(3, 1);
      model.reconstruct(x);
      model.decoderVarianceAt(tf.zeros([2, H]));
    });
    model.setOptimalVariances(x, { seed: 1, batchSize: 16 });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("Vae3 with varianceModel 'per-dimension' (the authors' model.py variant)", () => {
  let model: Vae3;
  let x: tf.Tensor2D;

  beforeEach(() => {
    model = new Vae3({ dataDim: D, latentDim: H, hiddenSizes: [9], activation: 'tanh', seed: 12, initialEncoderLogVariance: -0.4, initialLogDecoderVariance: 0.5, varianceModel: 'per-dimension' });
    x = tf.randomNormal([40, D], 0.2, 1.3, 'float32', 8) as tf.Tensor2D;
  });

  afterEach(() => {
    model.dispose();
    x.dispose();
  });

  it('has a z-independent variance, so H_dec needs no sampling, and satisfies the VAE-3 gap identity', () => {
    expect(model.decoderVarianceType).toBe('per-dimension');
    expect(Object.keys(model.namedVariables())).toContain('logVarianceOffsets');
    const variances = values(model.decoderVarianceAt(tf.randomNormal([3, H], 0, 1, 'float32', 1)));
    variances.forEach((v) => expect(v).toBeCloseTo(Math.exp(0.5), 5));
    expect(read(model.entropies(x, { seed: 1, samples: 1 })).decoder).toBe(read(model.entropies(x, { seed: 2, samples: 1 })).decoder);
    const options = { seed: 4, samples: 2 };
    const terms = read(model.elbo(x, options));
    const s = read(model.entropies(x, options)).sum;
    const m = values(model.latentSecondMoments(x));
    expect(terms.elbo - s).toBeCloseTo(0.5 * (D - terms.standardizedSquaredError!) - 0.5 * m.reduce((a, mh) => a + mh - 1, 0), 4);
  });

  it('sets σ_d² = mean E_q (x_d − μ_d(z))² per dimension, after which Q = D and reconstruction = −H_dec', () => {
    const options = { seed: 6, samples: 3 };
    const residual = tf.tidy(() => {
      const { mean, logVariance } = model.encode(x);
      const z = tf.reshape(Normal.fromLogVariance(mean, logVariance).rsample([3], 6), [3 * 40, H]);
      return tf.mean(tf.square(tf.sub(tf.tile(x, [3, 1]), model.decode(z))), 0);
    });
    const expected = values(residual);
    const optimum = model.optimalVariances(x, options);
    optimum.decoderVariances!.forEach((v, d) => expect(relativeError(v, expected[d]!)).toBeLessThan(1e-5));
    model.setOptimalVariances(x, options);
    values(model.decoderVarianceAt(tf.zeros([1, H]))).forEach((v, d) => expect(relativeError(v, expected[d]!)).toBeLessThan(1e-5));
    const terms = read(model.elbo(x, options));
    expect(terms.standardizedSquaredError!).toBeCloseTo(D, 4);
    expect(relativeError(terms.expectedLogLikelihood, -read(model.entropies(x, options)).decoder)).toBeLessThan(1e-5);
  });
});
