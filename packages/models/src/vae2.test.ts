import * as tf from '@tensorflow/tfjs-core';
import { Vae1, Vae2 } from './index.js';
import { read, relativeError, scalar, values } from './test-support/tensors.js';

const D = 6;
const H = 3;
const common = { dataDim: D, latentDim: H, hiddenSizes: [8, 7], activation: 'tanh' as const, seed: 5, initialEncoderLogVariance: -0.6, initialLogDecoderVariance: 0.3 };

function batch(seed: number): tf.Tensor2D {
  return tf.randomNormal([64, D], 0.5, 1.5, 'float32', seed) as tf.Tensor2D;
}

/** Copies every shared variable (by model-local name) from `source` to `target`. */
function copyWeights(source: Vae1, target: Vae2): void {
  const targets = target.namedVariables();
  for (const [name, variable] of Object.entries(source.namedVariables())) targets[name]!.assign(variable);
}

describe('Vae2', () => {
  let x: tf.Tensor2D;
  beforeEach(() => {
    x = batch(17);
  });
  afterEach(() => x.dispose());

  it('satisfies the VAE-2 gap identity F − S = (D/2)(1 − R/(Dσ²)) − ½Σ(m_h/α_h² − 1) at random parameters (gap identity derived from arXiv 2010.14860)', () => {
    const model = new Vae2({ ...common, initialLogPriorVariance: 0.7 });
    for (const seed of [1, 2]) {
      const terms = read(model.elbo(x, { seed, samples: 2 }));
      const s = read(model.entropies(x)).sum;
      const m = values(model.latentSecondMoments(x));
      const alpha2 = values(model.priorVariance());
      const sigma2 = scalar(model.decoderVariance());
      const predicted = (D / 2) * (1 - terms.squaredError / (D * sigma2)) - 0.5 * m.reduce((a, mh, h) => a + mh / alpha2[h]! - 1, 0);
      expect(Math.abs(terms.elbo - s)).toBeGreaterThan(0.5);
      expect(terms.elbo - s).toBeCloseTo(predicted, 3);
    }
    model.dispose();
  });

  it('on the optimal manifold (σ² = R/D, α² = m, same samples) has F = S exactly, reconstruction = −H_dec and KL = H_prior − H_enc (arXiv 2010.14860, VAE-2 section)', () => {
    const model = new Vae2(common);
    const options = { seed: 9, samples: 3 };
    const before = read(model.elbo(x, options)).elbo - read(model.entropies(x)).sum;
    model.setOptimalVariances(x, options);
    const terms = read(model.elbo(x, options));
    const entropies = read(model.entropies(x));
    expect(Math.abs(before)).toBeGreaterThan(0.5);
    expect(Math.abs(terms.elbo - entropies.sum) / Math.abs(terms.elbo)).toBeLessThan(1e-5);
    expect(relativeError(terms.expectedLogLikelihood, -entropies.decoder)).toBeLessThan(1e-5);
    expect(Math.abs(terms.kl - (entropies.prior - entropies.encoder))).toBeLessThan(1e-5 * Math.abs(terms.kl) + 1e-5);
    const m = values(model.latentSecondMoments(x));
    values(model.priorVariance()).forEach((a, h) => expect(a).toBeCloseTo(m[h]!, 5));
    model.dispose();
  });

  it('equals VAE-1 at α = 1 and is invariant under the rescaling map of the VAE-2 section of the paper (arXiv 2010.14860)', () => {
    const vae1 = new Vae1(common);
    const vae2 = new Vae2({ ...common, weightConstraint: 'regularize', initialLogPriorVariance: 0 });
    copyWeights(vae1, vae2);
    const options = { seed: 4, samples: 2 };
    const f1 = read(vae1.elbo(x, options)).elbo;
    const s1 = read(vae1.entropies(x)).sum;
    expect(read(vae2.elbo(x, options)).elbo).toBeCloseTo(f1, 5);
    expect(read(vae2.entropies(x)).sum).toBeCloseTo(s1, 5);
    // Map to unit-norm columns: W_h ← W_h/‖W_h‖, ν_h, τ_h, α_h ← ‖W_h‖·(…).
    const norms = values(vae2.weightColumnNorms());
    expect(norms.some((c) => Math.abs(c - 1) > 0.1)).toBe(true);
    vae2.rescaleLatents(norms);
    values(vae2.weightColumnNorms()).forEach((c) => expect(c).toBeCloseTo(1, 5));
    expect(relativeError(read(vae2.elbo(x, options)).elbo, f1)).toBeLessThan(1e-5);
    expect(relativeError(read(vae2.entropies(x)).sum, s1)).toBeLessThan(1e-5);
    // With α² at its optimum m̃_h: S_2(α*) = S_1 − ½Σ log m_h and F_2(α*) − F_1 = ½Σ(m_h − 1 − log m_h) (arXiv 2010.14860, VAE-2 section).
    const m = values(vae1.latentSecondMoments(x));
    vae2.setPriorVariance(values(vae2.latentSecondMoments(x)));
    expect(read(vae2.entropies(x)).sum).toBeCloseTo(s1 - 0.5 * m.reduce((a, mh) => a + Math.log(mh), 0), 4);
    expect(read(vae2.elbo(x, options)).elbo - f1).toBeCloseTo(0.5 * m.reduce((a, mh) => a + mh - 1 - Math.log(mh), 0), 4);
    vae1.dispose();
    vae2.dispose();
  });

  it("'rescale' mode keeps unit-norm columns after optimiser steps without changing F or S", () => {
    const model = new Vae2(common);
    values(model.weightColumnNorms()).forEach((c) => expect(c).toBeCloseTo(1, 5));
    const optimizer = tf.train.adam(0.05);
    for (let step = 0; step < 3; step++) tf.tidy(() => {
      optimizer.minimize(() => tf.neg(model.objective(x, { seed: step })) as tf.Scalar, false, model.trainableVariables());
    });
    optimizer.dispose();
    expect(values(model.weightColumnNorms()).some((c) => Math.abs(c - 1) > 1e-3)).toBe(true);
    const f = read(model.elbo(x, { seed: 1 })).elbo;
    const s = read(model.entropies(x)).sum;
    const before = tf.memory().numTensors;
    model.applyConstraints();
    expect(tf.memory().numTensors).toBe(before);
    values(model.weightColumnNorms()).forEach((c) => expect(c).toBeCloseTo(1, 5));
    expect(relativeError(read(model.elbo(x, { seed: 1 })).elbo, f)).toBeLessThan(1e-5);
    expect(relativeError(read(model.entropies(x)).sum, s)).toBeLessThan(1e-5);
    model.dispose();
  });

  it("'rescale' mode with rescalePreservesFunction: false only normalises the columns, as the authors' code", () => {
    const model = new Vae2({ ...common, rescalePreservesFunction: false });
    const optimizer = tf.train.adam(0.05);
    tf.tidy(() => {
      optimizer.minimize(() => tf.neg(model.objective(x, { seed: 0 })) as tf.Scalar, false, model.trainableVariables());
    });
    optimizer.dispose();
    const alpha = values(model.priorVariance());
    const f = read(model.elbo(x, { seed: 1 })).elbo;
    model.applyConstraints();
    values(model.weightColumnNorms()).forEach((c) => expect(c).toBeCloseTo(1, 5));
    expect(values(model.priorVariance())).toEqual(alpha);
    // A function-preserving rescale changes the ELBO by float32 rounding only (~1e-6 here); this one by more.
    expect(Math.abs(read(model.elbo(x, { seed: 1 })).elbo - f)).toBeGreaterThan(1e-4);
    model.dispose();
  });

  it("'regularize' mode subtracts γ Σ(‖W_h‖² − 1)² from the objective and leaves the weights alone", () => {
    const model = new Vae2({ ...common, weightConstraint: 'regularize', penaltyWeight: 2.5 });
    const norms = values(model.weightColumnNorms());
    model.applyConstraints();
    expect(values(model.weightColumnNorms())).toEqual(norms);
    const penalty = 2.5 * norms.reduce((a, c) => a + (c * c - 1) ** 2, 0);
    expect(penalty).toBeGreaterThan(0.01);
    expect(scalar(model.objective(x, { seed: 3 }))).toBeCloseTo(read(model.elbo(x, { seed: 3 })).elbo - penalty, 4);
    model.dispose();
  });

  it('passes a non-zero gradient to every trainable variable, α included, and does not leak', () => {
    const model = new Vae2({ ...common, weightConstraint: 'regularize' });
    const variables = model.trainableVariables();
    expect(variables).toContain(model.logPriorVariance);
    const { value, grads } = tf.variableGrads(() => tf.neg(model.objective(x, { seed: 1 })) as tf.Scalar, variables);
    for (const v of variables) expect(scalar(tf.norm(grads[v.name]!))).toBeGreaterThan(0);
    tf.dispose([value, ...Object.values(grads)]);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      model.elbo(x, { seed: 1, samples: 2 });
      model.entropies(x);
      model.objective(x, { seed: 1 });
      model.sample(4, 2);
      model.encoderEntropiesPerLatent(x);
    });
    model.setOptimalVariances(x, { seed: 2 });
    model.normalizeLatentMoments(x);
    model.rescaleLatents([1, 2, 0.5]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('rejects a bad constraint mode and bad prior variances', () => {
    expect(() => new Vae2({ dataDim: 2, latentDim: 1, weightConstraint: 'clip' as never })).toThrow("weightConstraint: expected 'rescale' or 'regularize', got clip");
    const model = new Vae2({ dataDim: 2, latentDim: 2, hiddenSizes: [3] });
    expect(() => model.setPriorVariance([1, -1])).toThrow('variance: expected 2 finite numbers > 0, got [1, -1]');
    expect(() => model.rescaleLatents([1])).toThrow('scale: expected 2 finite numbers > 0, got [1]');
    model.dispose();
  });
});
