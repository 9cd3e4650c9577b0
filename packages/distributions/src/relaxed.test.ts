import * as tf from '@tensorflow/tfjs-core';
import { RelaxedBernoulli, RelaxedOneHotCategorical, UnsupportedMethodError } from './index.js';
import { loadFixture } from './test-support/fixtures.js';
import { REFERENCE_TOLERANCE, expectClose, expectWithinStandardErrors, finiteDifferenceGradient } from './test-support/numeric-assertions.js';
import { type Factory, type ReferenceCase, describeReferenceCases, expectMethodsDoNotLeak } from './test-support/reference-suite.js';

const binary = loadFixture<{ cases: ReferenceCase[] }>('relaxed_bernoulli');
const oneHot = loadFixture<{ cases: ReferenceCase[] }>('relaxed_one_hot_categorical');
const makeBinary: Factory = (params, validateArgs) => new RelaxedBernoulli(params.temperature!, { logits: params.logits! }, { validateArgs });
const makeOneHot: Factory = (params, validateArgs) => new RelaxedOneHotCategorical(params.temperature!, { logits: params.logits! }, { validateArgs });

describeReferenceCases('RelaxedBernoulli', binary.cases, { make: makeBinary });
describeReferenceCases('RelaxedOneHotCategorical', oneHot.cases, { make: makeOneHot });

describe('Relaxed (Concrete / Gumbel-softmax) distributions', () => {
  it('RelaxedBernoulli samples follow its cdf (Monte Carlo, indicator means within 4 standard errors)', () => {
    tf.tidy(() => {
      const d = new RelaxedBernoulli(tf.tensor1d([0.3, 1, 3]), { logits: tf.tensor1d([1, -0.5, 2]) });
      const n = 20000;
      const y = d.sample([n], 111).dataSync();
      for (const point of [0.1, 0.5, 0.9]) {
        const cdf = d.cdf(tf.fill([3], point)).dataSync();
        for (let j = 0; j < 3; j++) {
          const indicator = Float64Array.from({ length: n }, (_, i) => ((y[i * 3 + j] as number) <= point ? 1 : 0));
          expectWithinStandardErrors(indicator, cdf[j] as number, `P(Y ≤ ${point})[${j}]`);
        }
      }
    });
  });

  it('the K = 2 RelaxedOneHotCategorical is the RelaxedBernoulli of the logit difference (density and samples)', () => {
    tf.tidy(() => {
      const logits = tf.tensor2d([[0.7, -0.4], [2, 1]]);
      const tau = tf.tensor1d([0.6, 1.7]);
      const cat = new RelaxedOneHotCategorical(tau, { logits });
      const bin = new RelaxedBernoulli(tau, { logits: tf.tensor1d([1.1, 1]) });
      const y1 = tf.tensor1d([0.2, 0.85]);
      const y = tf.stack([y1, tf.sub(1, y1)], -1);
      expectClose(cat.logProb(y), Array.from(bin.logProb(y1).dataSync()), REFERENCE_TOLERANCE, 'logProb');
      const first = tf.squeeze(tf.slice(cat.sample([20000], 112), [0, 0, 0], [20000, 2, 1]), [2]).dataSync();
      const cdf = bin.cdf(tf.fill([2], 0.5)).dataSync();
      for (let j = 0; j < 2; j++) {
        const indicator = Float64Array.from({ length: 20000 }, (_, i) => ((first[i * 2 + j] as number) <= 0.5 ? 1 : 0));
        expectWithinStandardErrors(indicator, cdf[j] as number, `P(Y₁ ≤ ½)[${j}]`);
      }
    });
  });

  it('rsample gradients match finite differences through tfjs', () => {
    const logits = tf.tensor1d([0.3, -1.2]);
    const tau = tf.tensor1d([0.7, 2]);
    const f = (l: tf.Tensor): tf.Tensor => tf.sum(tf.square(new RelaxedBernoulli(tau, { logits: l }, { validateArgs: false }).rsample([4], 3)), 0);
    const g = tf.grad((l: tf.Tensor) => tf.sum(f(l)))(logits);
    expectClose(g, Array.from(finiteDifferenceGradient(f, logits)), { rtol: 1e-3, atol: 1e-4 }, 'd/d logits');
    const logits2 = tf.tensor2d([[0.3, -1.2, 0.5]]);
    const f2 = (l: tf.Tensor): tf.Tensor => tf.sum(tf.square(new RelaxedOneHotCategorical(0.8, { logits: l }, { validateArgs: false }).rsample([4], 3)), 0);
    const g2 = tf.grad((l: tf.Tensor) => tf.sum(f2(l)))(logits2);
    expectClose(g2, Array.from(finiteDifferenceGradient(f2, logits2)), { rtol: 1e-3, atol: 1e-4 }, 'd/d logits (one-hot)');
    tf.dispose([logits, tau, g, logits2, g2]);
  });

  it('samples stay strictly inside the support at a low temperature, so logProb is finite', () => {
    tf.tidy(() => {
      const d = new RelaxedBernoulli(0.05, { logits: tf.tensor1d([3, -3]) });
      const lp = d.logProb(d.sample([100], 4)).dataSync();
      expect(Array.from(lp).every(Number.isFinite)).toBe(true);
      expect(() => d.entropy()).toThrow(UnsupportedMethodError);
      expect(() => d.mean()).toThrow(UnsupportedMethodError);
    });
  });

  it('rejects bad parameters with errors naming the argument', () => {
    expect(() => new RelaxedBernoulli(0, { logits: 1 })).toThrow(/temperature: expected finite values > 0, got 0/);
    expect(() => new RelaxedBernoulli(1, { probs: 1 })).toThrow(/probs: expected values in the open interval \(0, 1\)/);
    expect(() => new RelaxedOneHotCategorical(-1, { logits: tf.zeros([3]) })).toThrow(/temperature: expected finite values > 0, got -1/);
  });

  it('no method leaves tensors behind', () => {
    expectMethodsDoNotLeak(new RelaxedBernoulli(tf.tensor1d([0.5, 1]), { logits: tf.tensor1d([0, 1]) }), tf.tensor1d([0.3, 0.6]));
    expectMethodsDoNotLeak(new RelaxedOneHotCategorical(0.5, { logits: tf.tensor2d([[0, 1, 2]]) }), tf.tensor2d([[0.2, 0.3, 0.5]]));
  });
});
