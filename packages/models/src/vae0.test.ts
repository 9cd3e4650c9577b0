import * as tf from '@tensorflow/tfjs-core';
import { Vae0 } from './index.js';
import { read, scalar, values } from './test-support/tensors.js';

const D = 5;
const H = 2;

describe('Vae0', () => {
  let model: Vae0;
  let x: tf.Tensor2D;

  beforeEach(() => {
    model = new Vae0({ dataDim: D, latentDim: H, hiddenSizes: [7], activation: 'elu', seed: 8, decoderVariance: 0.25, initialEncoderLogVariance: -0.3 });
    x = tf.randomNormal([48, D], 0, 1.2, 'float32', 3) as tf.Tensor2D;
  });

  afterEach(() => {
    model.dispose();
    x.dispose();
  });

  it('keeps σ² fixed: not trainable, not settable, untouched by setOptimalVariances', () => {
    expect(model.decoderVarianceType).toBe('fixed');
    expect(model.trainableVariables()).not.toContain(model.logDecoderVariance);
    expect(model.trainableVariables().length).toBe(Object.keys(model.namedVariables()).length - 1);
    expect(() => model.setDecoderVariance(2)).toThrow(/Vae0.setDecoderVariance is not available: σ² is fixed at 0.25/);
    model.setOptimalVariances(x, { seed: 1 });
    expect(scalar(model.decoderVariance())).toBeCloseTo(0.25, 6);
  });

  it('satisfies the VAE-0 gap identity (derived from arXiv 2010.14860), which does not vanish', () => {
    for (const seed of [1, 2]) {
      const terms = read(model.elbo(x, { seed, samples: 2 }));
      const entropies = read(model.entropies(x));
      const m = values(model.latentSecondMoments(x));
      const predicted = (D / 2) * (1 - terms.squaredError / (D * 0.25)) - 0.5 * m.reduce((s, mh) => s + mh - 1, 0);
      expect(Math.abs(terms.elbo - entropies.sum)).toBeGreaterThan(0.5);
      expect(terms.elbo - entropies.sum).toBeCloseTo(predicted, 3);
      expect(entropies.decoder).toBeCloseTo((D / 2) * Math.log(2 * Math.PI * Math.E * 0.25), 5);
    }
  });

  it('passes gradients to every trainable variable and none to σ²', () => {
    const variables = model.trainableVariables();
    const { value, grads } = tf.variableGrads(() => tf.neg(model.objective(x, { seed: 1 })) as tf.Scalar, variables);
    for (const v of variables) expect(scalar(tf.norm(grads[v.name]!))).toBeGreaterThan(0);
    expect(grads[model.logDecoderVariance.name]).toBeUndefined();
    tf.dispose([value, ...Object.values(grads)]);
  });

  it('rejects a non-positive fixed variance', () => {
    expect(() => new Vae0({ dataDim: 2, latentDim: 1, decoderVariance: 0 })).toThrow('decoderVariance: expected a finite number > 0, got 0');
  });
});
