import * as tf from '@tensorflow/tfjs-core';
import { Categorical, InvalidArgumentError, OneHotCategorical, UnsupportedMethodError, klDivergence } from './index.js';
import { loadFixture } from './test-support/fixtures.js';
import { PROBABILITY_TOLERANCE, expectWithinStandardErrors } from './test-support/numeric-assertions.js';
import {
  type Factory,
  type KlReferenceCase,
  type ReferenceCase,
  describeKlReferenceCases,
  describeReferenceCases,
  expectKlByMonteCarlo,
  expectMethodsDoNotLeak,
  expectMomentsByMonteCarlo,
} from './test-support/reference-suite.js';

type Fixture = { cases: ReferenceCase[]; kl: KlReferenceCase[] };
const categorical = loadFixture<Fixture>('categorical');
const oneHot = loadFixture<Fixture>('one_hot_categorical');
const makeCategorical: Factory = (params, validateArgs) =>
  params.probs !== undefined ? new Categorical({ probs: params.probs }, { validateArgs }) : new Categorical({ logits: params.logits! }, { validateArgs });
const makeOneHot: Factory = (params, validateArgs) =>
  params.probs !== undefined ? new OneHotCategorical({ probs: params.probs }, { validateArgs }) : new OneHotCategorical({ logits: params.logits! }, { validateArgs });

describeReferenceCases('Categorical', categorical.cases, { make: makeCategorical, xDtype: 'int32' });
describeKlReferenceCases('KL(Categorical ‖ Categorical)', categorical.kl, makeCategorical);
// Variance to 1e-5 relative with no floor: issue 14 (p(1 − p) was 0 instead of 2.8e-13 as p → 1).
describeReferenceCases('OneHotCategorical', oneHot.cases, { make: makeOneHot, tolerances: { mean: PROBABILITY_TOLERANCE, variance: PROBABILITY_TOLERANCE } });
describeKlReferenceCases('KL(OneHotCategorical ‖ OneHotCategorical)', oneHot.kl, makeOneHot);

describe('Categorical and OneHotCategorical by Monte Carlo', () => {
  const logits = [
    [0, 1, -2, 0.5],
    [3, -3, 0, 0],
  ];
  it('sample frequencies match probs; −mean(logProb) matches the entropy; KL matches its estimate', () => {
    tf.tidy(() => {
      const p = new Categorical({ logits: tf.tensor2d(logits) });
      const x = p.sample([10000], 41);
      expect(x.dtype).toBe('int32');
      const xs = x.dataSync();
      const probs = p.probs.arraySync() as number[][];
      for (let b = 0; b < 2; b++) {
        for (let k = 0; k < 4; k++) {
          const indicator = Float64Array.from({ length: 10000 }, (_, i) => (xs[i * 2 + b] === k ? 1 : 0));
          expectWithinStandardErrors(indicator, probs[b]![k]!, `P(X=${k}) in batch ${b}`);
        }
      }
      expectMomentsByMonteCarlo(p, 10000, 42, { mean: false, variance: false, entropy: true });
      expectKlByMonteCarlo(p, new Categorical({ probs: tf.tensor2d([[0.1, 0.2, 0.3, 0.4], [0.7, 0.1, 0.1, 0.1]]) }), 10000, 43);
      const h = new OneHotCategorical({ logits: tf.tensor2d(logits) });
      expectMomentsByMonteCarlo(h, 10000, 44);
      expectKlByMonteCarlo(h, new OneHotCategorical({ logits: tf.tensor2d([[1, 1, 1, 1], [0, 2, 0, -1]]) }), 10000, 45);
    });
  });
});

describe('Categorical specifics', () => {
  it('a zero-probability category is never drawn and has logProb −∞; infinite KL where q has no mass', () => {
    tf.tidy(() => {
      const d = new Categorical({ probs: tf.tensor1d([0.5, 0, 0.5]) });
      expect(Array.from(d.sample([200], 1).dataSync()).includes(1)).toBe(false);
      expect(d.logProb(tf.tensor1d([1], 'int32')).dataSync()[0]).toBe(-Infinity);
      expect(d.entropy().dataSync()[0]).toBeCloseTo(Math.LN2, 6);
      expect(klDivergence(new Categorical({ probs: tf.tensor1d([0.5, 0.5, 0]) }), d).dataSync()[0]).toBe(Infinity);
      const masked = new Categorical({ logits: tf.tensor1d([0, -Infinity, 0]) });
      expect(masked.logProb(tf.tensor1d([0, 1])).dataSync()).toEqual(new Float32Array([-Math.LN2, -Infinity].map(Math.fround)));
    });
  });

  it('broadcasts indices over sample dimensions; mean/variance are unavailable for labels', () => {
    tf.tidy(() => {
      const d = new Categorical({ logits: tf.zeros([3, 4]) });
      expect(d.logProb(tf.zeros([5, 3], 'int32')).shape).toEqual([5, 3]);
      expect(d.sample([2, 5], 0).shape).toEqual([2, 5, 3]);
      expect(() => d.mean()).toThrow(UnsupportedMethodError);
      expect(() => d.rsample([1], 0)).toThrow(/Categorical.rsample is not available/);
    });
  });

  it('rejects bad parameters with errors naming the argument', () => {
    expect(() => new Categorical({ probs: tf.tensor1d([0.5, 0.6]) })).toThrow(/probs: expected rows summing to 1 \(within 1e-5\), got sum 1.1/);
    expect(() => new Categorical({ probs: tf.tensor1d([1.5, -0.5]) })).toThrow(/probs: expected values in \[0, 1\], got 1.5 at flat index 0/);
    expect(() => new Categorical({ logits: tf.tensor1d([NaN, 0]) })).toThrow(/logits: expected values < \+Infinity/);
    expect(() => new Categorical({ logits: tf.tensor1d([-Infinity, -Infinity]) })).toThrow(/logits: expected at least one finite logit per row/);
    expect(() => new OneHotCategorical({ logits: 0 })).toThrow(/logits: expected a tensor of rank ≥ 1/);
    expect(() => new Categorical({ logits: tf.zeros([2]) }).logProb(tf.zeros([1], 'bool'))).toThrow(InvalidArgumentError);
    tf.tidy(() => {
      expect(() => klDivergence(new Categorical({ logits: tf.zeros([2]) }), new Categorical({ logits: tf.zeros([3]) }))).toThrow(/q: expected 2 categories like p, got 3/);
    });
  });

  it('no method leaves tensors behind', () => {
    const c = new Categorical({ logits: tf.tensor2d([[0, 1, 2], [1, 1, 1]]) });
    const cq = new Categorical({ probs: tf.tensor2d([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]) });
    const idx = tf.tensor1d([2, 0], 'int32');
    expectMethodsDoNotLeak(c, idx, cq);
    const h = new OneHotCategorical({ logits: tf.tensor2d([[0, 1, 2], [1, 1, 1]]) });
    const hq = new OneHotCategorical({ probs: tf.tensor2d([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]) });
    const x = tf.tensor2d([[0, 0, 1], [1, 0, 0]]);
    expectMethodsDoNotLeak(h, x, hq);
  });
});
