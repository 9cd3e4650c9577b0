import * as tf from '@tensorflow/tfjs-core';
import { ContinuousBernoulli, Normal } from '@trientropy/distributions';
import { BernoulliVae, type BernoulliLikelihood, variantEntropyTerms } from './index.js';
import { trainWithAdam } from './test-support/adam-loop.js';
import { read, relativeError, scalar, values } from './test-support/tensors.js';

const D = 6;
const H = 2;

/** z ~ q(z|x) exactly as the model draws it, [samples·n, H]. */
function latents(model: BernoulliVae, x: tf.Tensor2D, samples: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const { mean, logVariance } = model.encode(x);
    return tf.reshape(Normal.fromLogVariance(mean, logVariance).rsample([samples], seed), [samples * x.shape[0], H]) as tf.Tensor2D;
  });
}

describe.each<BernoulliLikelihood>(['bernoulli', 'continuous-bernoulli'])('BernoulliVae (%s)', (likelihood) => {
  let model: BernoulliVae;
  let x: tf.Tensor2D;

  beforeEach(() => {
    model = new BernoulliVae({ dataDim: D, latentDim: H, hiddenSizes: [8], activation: 'tanh', seed: 4, initialEncoderLogVariance: -0.5, likelihood });
    // Grey levels in [0, 1] with some exact 0s and 1s.
    x = tf.tidy(() => tf.clipByValue(tf.randomUniform([30, D], -0.2, 1.2, 'float32', 6), 0, 1)) as tf.Tensor2D;
  });

  afterEach(() => {
    model.dispose();
    x.dispose();
  });

  it('computes the expected log-likelihood from the logits like an independent formula', () => {
    const [seed, samples] = [2, 3];
    const ell = read(model.elbo(x, { seed, samples })).expectedLogLikelihood;
    const independent = tf.tidy(() => {
      const eta = model.decoderLogits(latents(model, x, samples, seed));
      const xs = tf.tile(x, [samples, 1]);
      // x·η − softplus(η) (+ log C(η) for the continuous Bernoulli, taken from the distributions package).
      const bernoulli = tf.sub(tf.mul(xs, eta), tf.softplus(eta));
      const perPoint = likelihood === 'bernoulli' ? bernoulli : new ContinuousBernoulli({ logits: eta }).logProb(xs);
      return tf.mean(tf.sum(perPoint, 1));
    });
    expect(relativeError(ell, scalar(independent))).toBeLessThan(1e-5);
  });

  it('satisfies the exponential-family gap identity F − S = E_q Σ_d η_d(x_d − E[x_d|z]) − ½Σ(m_h − 1) with the same samples', () => {
    const options = { seed: 7, samples: 4 };
    const f = read(model.elbo(x, options)).elbo;
    const s = read(model.entropies(x, options)).sum;
    const m = values(model.latentSecondMoments(x));
    const decoderPart = scalar(
      tf.tidy(() => {
        const z = latents(model, x, options.samples, options.seed);
        const eta = model.decoderLogits(z);
        return tf.mean(tf.sum(tf.mul(eta, tf.sub(tf.tile(x, [options.samples, 1]), model.decode(z))), 1));
      }),
    );
    const priorPart = -0.5 * m.reduce((a, mh) => a + mh - 1, 0);
    const predicted = decoderPart + priorPart;
    // Both parts are far from zero at these parameters (they may happen to cancel in the sum).
    expect(Math.abs(decoderPart)).toBeGreaterThan(0.05);
    expect(Math.abs(priorPart)).toBeGreaterThan(0.05);
    expect(f - s).toBeCloseTo(predicted, 4);
  });

  it('has no variance parameter, samples values in [0, 1], trains every variable and does not leak', () => {
    expect(model.decoderVarianceType).toBe('none');
    expect(() => model.decoderVariance()).toThrow(/BernoulliVae.decoderVariance is not available/);
    expect(() => model.setDecoderVariance(1)).toThrow(/BernoulliVae.setDecoderVariance is not available/);
    const draws = values(model.sample(50, 3));
    expect(draws.every((v) => v >= 0 && v <= 1)).toBe(true);
    if (likelihood === 'bernoulli') expect(draws.every((v) => v === 0 || v === 1)).toBe(true);
    else expect(draws.some((v) => v > 0 && v < 1)).toBe(true);
    const variables = model.trainableVariables();
    const { value, grads } = tf.variableGrads(() => tf.neg(model.objective(x, { seed: 1 })) as tf.Scalar, variables);
    for (const v of variables) expect(scalar(tf.norm(grads[v.name]!))).toBeGreaterThan(0);
    tf.dispose([value, ...Object.values(grads)]);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      model.elbo(x, { seed: 1, samples: 2 });
      model.entropies(x);
      model.reconstruct(x);
      model.sample(2, 5);
    });
    model.setOptimalVariances(x, { seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives an ELBO of −∞ (never NaN) on a batch with a point outside [0, 1], finite inside', () => {
    const outside = tf.tidy(() => tf.concat([tf.slice(x, [0, 0], [2, D]), tf.fill([1, D], 1.5)]));
    expect(values(tf.tidy(() => model.elbo(outside, { seed: 1 }).elbo))).toEqual([-Infinity]);
    expect(values(tf.tidy(() => model.elbo(x, { seed: 1 }).elbo)).every(Number.isFinite)).toBe(true);
    outside.dispose();
  });
});

describe('BernoulliVae training', () => {
  // The two parts of the gap (reconstruction: E log p + H_dec; prior: −KL − H_enc + H_prior) can cancel by
  // chance at a random initialisation, so the distance from stationarity is measured as |part₁| + |part₂|.
  it('shrinks both parts of the gap between ELBO and entropy sum on binary data', async () => {
    const x = tf.tidy(() => {
      const z = tf.randomNormal([96, 2], 0, 1, 'float32', 1);
      const logits = tf.matMul(z, tf.randomNormal([2, D], 0, 3, 'float32', 2));
      return tf.cast(tf.less(tf.randomUniform([96, D], 0, 1, 'float32', 3), tf.sigmoid(logits)), 'float32');
    }) as tf.Tensor2D;
    const model = new BernoulliVae({ dataDim: D, latentDim: 2, hiddenSizes: [12], activation: 'tanh', seed: 2, initialEncoderLogVariance: -2 });
    const distance = async (): Promise<{ parts: number; relativeGap: number }> => {
      const t = await variantEntropyTerms(model, x, { seed: 99, samples: 30 });
      return { parts: Math.abs(t.decoderGap) + Math.abs(t.priorGap), relativeGap: t.relativeGap };
    };
    const start = await distance();
    trainWithAdam(model, x, { steps: 80, learningRate: 0.03, finalLearningRate: 0.003, seed: 4 });
    const end = await distance();
    console.log(`Bernoulli VAE: |reconstruction part| + |prior part| ${start.parts.toFixed(3)} → ${end.parts.toFixed(3)} nats, relative gap ${(100 * start.relativeGap).toFixed(2)}% → ${(100 * end.relativeGap).toFixed(2)}%`);
    expect(start.parts).toBeGreaterThan(0.3);
    expect(end.parts).toBeLessThan(start.parts / 2);
    expect(end.relativeGap).toBeLessThan(0.05);
    model.dispose();
    x.dispose();
  });

  it('rejects an unknown likelihood', () => {
    expect(() => new BernoulliVae({ dataDim: 2, latentDim: 1, likelihood: 'beta' as never })).toThrow("likelihood: expected 'bernoulli' or 'continuous-bernoulli', got beta");
  });
});
