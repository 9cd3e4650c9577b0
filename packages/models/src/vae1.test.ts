import * as tf from '@tensorflow/tfjs-core';
import { LOG_2PI_E, Normal } from '@trientropy/distributions';
import { Vae1 } from './index.js';

const D = 6;
const H = 3;

function randomBatch(n: number, seed: number): tf.Tensor2D {
  return tf.randomNormal([n, D], 0.5, 1.5, 'float32', seed) as tf.Tensor2D;
}

function scalar(t: tf.Tensor): number {
  const value = t.dataSync()[0] as number;
  t.dispose();
  return value;
}

describe('Vae1', () => {
  let model: Vae1;
  let x: tf.Tensor2D;

  beforeEach(() => {
    // Non-trivial random parameters: a non-zero encoder log-variance and σ² far from its optimum.
    model = new Vae1({ dataDim: D, latentDim: H, hiddenSizes: [8, 7], activation: 'tanh', seed: 3, initialEncoderLogVariance: -0.7, initialLogDecoderVariance: 0.4 });
    x = randomBatch(64, 11);
  });

  afterEach(() => {
    model.dispose();
    x.dispose();
  });

  it('has the closed-form entropies of the VAE-1 section of the paper (arXiv 2010.14860)', () => {
    const terms = model.entropies(x);
    const { mean, logVariance } = model.encode(x);
    const expectedEncoder = tf.tidy(() => tf.mean(tf.sum(tf.mul(tf.add(logVariance, LOG_2PI_E), 0.5), 1)));
    expect(scalar(terms.prior)).toBeCloseTo((H / 2) * LOG_2PI_E, 5);
    expect(scalar(terms.decoder)).toBeCloseTo((D / 2) * (LOG_2PI_E + 0.4), 5);
    const encoder = scalar(terms.encoder);
    expect(encoder).toBeCloseTo(scalar(expectedEncoder), 5);
    expect(scalar(terms.sum)).toBeCloseTo(encoder - (H / 2) * LOG_2PI_E - (D / 2) * (LOG_2PI_E + 0.4), 4);
    tf.dispose([mean, logVariance]);
  });

  it('computes the expected log-likelihood like an independent Normal.logProb estimate', () => {
    const seed = 5;
    const samples = 4;
    const terms = model.elbo(x, { seed, samples });
    const independent = tf.tidy(() => {
      const { mean, logVariance } = model.encode(x);
      const z = Normal.fromLogVariance(mean, logVariance).rsample([samples], seed);
      const decoded = model.decode(tf.reshape(z, [samples * x.shape[0], H]));
      const likelihood = Normal.fromLogVariance(decoded, tf.broadcastTo(model.logDecoderVariance, decoded.shape));
      return tf.mean(tf.sum(likelihood.logProb(tf.tile(x, [samples, 1])), 1));
    });
    const a = scalar(terms.expectedLogLikelihood);
    expect(Math.abs(a - scalar(independent)) / Math.abs(a)).toBeLessThan(1e-5);
    tf.dispose([terms.elbo, terms.kl, terms.squaredError]);
  });

  it('satisfies the gap identity ELBO − S = (D/2)(1 − R/(Dσ²)) − ½Σ(m_h − 1) at random parameters (gap identity derived from arXiv 2010.14860)', () => {
    for (const seed of [1, 2, 3]) {
      const terms = model.elbo(x, { seed, samples: 2 });
      const entropies = model.entropies(x);
      const m = model.latentSecondMoments(x);
      const sigma2 = scalar(model.decoderVariance());
      const r = scalar(terms.squaredError);
      const gap = scalar(terms.elbo) - scalar(entropies.sum);
      const predicted = (D / 2) * (1 - r / (D * sigma2)) - 0.5 * Array.from(m.dataSync()).reduce((s, mh) => s + (mh - 1), 0);
      expect(Math.abs(gap)).toBeGreaterThan(0.1); // the parameters are far from stationary: the check is not vacuous
      expect(gap).toBeCloseTo(predicted, 3);
      tf.dispose([terms.expectedLogLikelihood, terms.kl, entropies.prior, entropies.encoder, entropies.decoder, m]);
    }
  });

  it('at the closed-form σ² = R/D has expected log-likelihood = −H_dec (arXiv 2010.14860, stationary-point conditions)', () => {
    const options = { seed: 9, samples: 3 };
    const sigma2 = scalar(model.optimalDecoderVariance(x, options));
    model.setDecoderVariance(sigma2);
    const terms = model.elbo(x, options);
    const entropies = model.entropies(x);
    const ell = scalar(terms.expectedLogLikelihood);
    expect(Math.abs(ell + scalar(entropies.decoder)) / Math.abs(ell)).toBeLessThan(1e-5);
    // And the gap reduces to its prior part −½Σ(m_h − 1).
    const m = Array.from(model.latentSecondMoments(x).dataSync());
    expect(scalar(terms.elbo) - scalar(entropies.sum)).toBeCloseTo(-0.5 * m.reduce((s, mh) => s + mh - 1, 0), 3);
    tf.dispose([terms.kl, terms.squaredError, entropies.prior, entropies.encoder, entropies.sum]);
  });

  it('makes σ² = R/D the maximiser of the ELBO over σ²', () => {
    const options = { seed: 4, samples: 2 };
    const optimum = scalar(model.optimalDecoderVariance(x, options));
    const elboAt = (v: number): number => {
      model.setDecoderVariance(v);
      const t = model.elbo(x, options);
      tf.dispose([t.expectedLogLikelihood, t.kl, t.squaredError]);
      return scalar(t.elbo);
    };
    const best = elboAt(optimum);
    expect(best).toBeGreaterThan(elboAt(optimum * 1.05));
    expect(best).toBeGreaterThan(elboAt(optimum / 1.05));
  });

  it('normalizeLatentMoments sets m_h = 1, keeps the reconstruction term and raises F by ½Σ(m_h − 1 − log m_h)', () => {
    const options = { seed: 6, samples: 2 };
    const m = Array.from(model.latentSecondMoments(x).dataSync());
    expect(m.some((mh) => Math.abs(mh - 1) > 0.1)).toBe(true);
    const before = model.elbo(x, options);
    const [f0, ell0] = [scalar(before.elbo), scalar(before.expectedLogLikelihood)];
    model.normalizeLatentMoments(x);
    const after = model.elbo(x, options);
    Array.from(model.latentSecondMoments(x).dataSync()).forEach((mh) => expect(mh).toBeCloseTo(1, 5));
    expect(scalar(after.expectedLogLikelihood)).toBeCloseTo(ell0, 4);
    expect(scalar(after.elbo) - f0).toBeCloseTo(0.5 * m.reduce((s, mh) => s + mh - 1 - Math.log(mh), 0), 4);
    tf.dispose([before.kl, before.squaredError, after.kl, after.squaredError]);
  });

  it('with m_h = 1 and σ² = R/D (same samples) has reconstruction = −H_dec and KL = H_prior − H_enc, so F = S', () => {
    const options = { seed: 8, samples: 3 };
    model.normalizeLatentMoments(x);
    model.setOptimalVariances(x, { ...options, batchSize: 1000 });
    const terms = model.elbo(x, options);
    const entropies = model.entropies(x);
    const [ell, kl, f] = [scalar(terms.expectedLogLikelihood), scalar(terms.kl), scalar(terms.elbo)];
    const [prior, encoder, decoder, sum] = [scalar(entropies.prior), scalar(entropies.encoder), scalar(entropies.decoder), scalar(entropies.sum)];
    expect(Math.abs(ell + decoder) / Math.abs(ell)).toBeLessThan(1e-5);
    expect(Math.abs(kl - (prior - encoder))).toBeLessThan(1e-5 * Math.abs(kl) + 2e-6);
    expect(Math.abs(f - sum) / Math.abs(f)).toBeLessThan(1e-5);
    scalar(terms.squaredError);
  });

  it('passes a non-zero gradient to every trainable variable', () => {
    const variables = model.trainableVariables();
    const { value, grads } = tf.variableGrads(() => {
      const t = model.elbo(x, { seed: 1 });
      return tf.neg(t.elbo) as tf.Scalar;
    }, variables);
    expect(Object.keys(grads)).toHaveLength(variables.length);
    for (const v of variables) {
      const g = grads[v.name]!;
      const norm = scalar(tf.norm(g));
      expect(Number.isFinite(norm)).toBe(true);
      expect(norm).toBeGreaterThan(0);
    }
    tf.dispose([value, ...Object.values(grads)]);
  });

  it('does not leak tensors in elbo, entropies, encode, decode, sample, reconstruct and setDecoderVariance', () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      tf.tidy(() => {
        model.elbo(x, { seed: i, samples: 2 });
        model.entropies(x);
        model.latentSecondMoments(x);
        model.reconstruct(x);
        model.sample(5, i);
        model.optimalDecoderVariance(x, { seed: i });
      });
    }
    // Outside any tidy: setDecoderVariance must clean up after itself.
    const variance = tf.tidy(() => model.decoderVariance().arraySync());
    model.setDecoderVariance(variance);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is deterministic for a seed', () => {
    const other = new Vae1({ dataDim: D, latentDim: H, hiddenSizes: [8, 7], activation: 'tanh', seed: 3, initialEncoderLogVariance: -0.7, initialLogDecoderVariance: 0.4 });
    const a = model.elbo(x, { seed: 2 });
    const b = other.elbo(x, { seed: 2 });
    expect(scalar(a.elbo)).toBe(scalar(b.elbo));
    tf.dispose([a.expectedLogLikelihood, a.kl, a.squaredError, b.expectedLogLikelihood, b.kl, b.squaredError]);
    other.dispose();
  });

  it('rejects bad configuration and bad input with errors naming the argument', () => {
    expect(() => new Vae1({ dataDim: 0, latentDim: 2 })).toThrow(/dataDim: expected a positive integer, got 0/);
    expect(() => new Vae1({ dataDim: 3, latentDim: 2, hiddenSizes: [4, -1] })).toThrow(/hiddenSizes: expected a list of positive integers/);
    expect(() => new Vae1({ dataDim: 3, latentDim: 2, activation: 'gelu' as never })).toThrow(/activation: expected one of/);
    const wrong = tf.zeros([4, D + 1]);
    expect(() => model.elbo(wrong, { seed: 0 })).toThrow(`x: expected shape [batch, ${D}], got [4, ${D + 1}]`);
    expect(() => model.elbo(x, { seed: 0.5 })).toThrow(/seed: expected an integer, got 0.5/);
    expect(() => model.setDecoderVariance(-1)).toThrow(/variance: expected a finite number > 0, got -1/);
    wrong.dispose();
  });
});
