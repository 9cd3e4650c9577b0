import * as tf from '@tensorflow/tfjs-core';
import { Categorical, InvalidArgumentError, MixtureSameFamily, MultivariateNormalDiag, Normal, UnsupportedMethodError } from './index.js';
import { loadFixture } from './test-support/fixtures.js';
import { PROBABILITY_TOLERANCE, column, expectClose, expectWithinStandardErrors } from './test-support/numeric-assertions.js';
import { type Factory, type ReferenceCase, describeReferenceCases, expectMethodsDoNotLeak, expectMomentsByMonteCarlo } from './test-support/reference-suite.js';

const fixture = loadFixture<{ cases: ReferenceCase[] }>('mixture_same_family');
const make: Factory = (params, validateArgs) =>
  new MixtureSameFamily(new Categorical({ logits: params.logits! }, { validateArgs }), new Normal(params.loc!, params.scale!, { validateArgs }));

describeReferenceCases('MixtureSameFamily(Normal)', fixture.cases, { make, tolerances: { cdf: { rtol: 1e-5, atol: 1e-7 }, mean: PROBABILITY_TOLERANCE } });

describe('MixtureSameFamily', () => {
  const logits = tf.tensor2d([[0, 1, -1], [2, 0, 0]]);
  const loc = tf.tensor2d([[-2, 0, 3], [1, 5, -4]]);
  const scale = tf.tensor2d([[0.5, 1, 2], [1, 0.3, 1]]);
  afterAll(() => tf.dispose([logits, loc, scale]));

  it('Monte Carlo: sample moments match mean and variance; −mean(logProb) is a consistent entropy estimate', () => {
    tf.tidy(() => {
      const d = new MixtureSameFamily(new Categorical({ logits }), new Normal(loc, scale));
      expectMomentsByMonteCarlo(d, 20000, 101, { mean: true, variance: true, entropy: false });
      // The entropy estimate from two independent sample sets agrees within their standard errors.
      const h1 = tf.neg(d.logProb(d.sample([20000], 102))).dataSync();
      const h2 = tf.neg(d.logProb(d.sample([20000], 103))).dataSync();
      for (let j = 0; j < 2; j++) {
        const a = column(h1, 2, j);
        const mean2 = column(h2, 2, j).reduce((s, v) => s + v, 0) / 20000;
        expectWithinStandardErrors(a, mean2, `entropy estimate [${j}]`, 6);
      }
      expect(() => d.entropy()).toThrow(UnsupportedMethodError);
    });
  });

  it('works with multivariate components (event shape [2])', () => {
    tf.tidy(() => {
      const comps = new MultivariateNormalDiag(tf.tensor3d([[[0, 0], [3, 3]]]), tf.tensor3d([[[1, 1], [0.5, 2]]]));
      const d = new MixtureSameFamily(new Categorical({ probs: tf.tensor2d([[0.3, 0.7]]) }), comps);
      expect([d.batchShape, d.eventShape]).toEqual([[1], [2]]);
      const x = tf.tensor2d([[1, 2]]);
      const expected = Math.log(0.3 * Math.exp(comps.logProb(tf.tensor3d([[[1, 2], [1, 2]]])).dataSync()[0]!) + 0.7 * Math.exp(comps.logProb(tf.tensor3d([[[1, 2], [1, 2]]])).dataSync()[1]!));
      expectClose(d.logProb(x), [expected], { rtol: 1e-6, atol: 1e-6 }, 'logProb');
      expect(d.sample([5], 1).shape).toEqual([5, 1, 2]);
      expectMomentsByMonteCarlo(d, 20000, 104, { mean: true, variance: true, entropy: false });
    });
  });

  it('rejects components whose batch shape does not end in the number of mixture categories', () => {
    tf.tidy(() => {
      expect(() => new MixtureSameFamily(new Categorical({ logits: tf.zeros([2, 3]) }), new Normal(tf.zeros([2, 4]), 1))).toThrow(InvalidArgumentError);
      expect(() => new MixtureSameFamily(new Categorical({ logits: tf.zeros([2, 3]) }), new Normal(tf.zeros([2, 4]), 1))).toThrow(/components: expected batch shape \[2,3\]/);
    });
  });

  it('no method leaves tensors behind', () => {
    const d = new MixtureSameFamily(new Categorical({ logits }), new Normal(loc, scale));
    expectMethodsDoNotLeak(d, tf.tensor1d([0.5, -1]));
  });
});
