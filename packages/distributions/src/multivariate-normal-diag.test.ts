import * as tf from '@tensorflow/tfjs-core';
import { Independent, InvalidArgumentError, MultivariateNormalDiag, Normal, klDivergence } from './index.js';
import { loadFixture } from './test-support/fixtures.js';
import { REFERENCE_TOLERANCE, expectClose } from './test-support/numeric-assertions.js';
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

const fixture = loadFixture<{ cases: ReferenceCase[]; kl: KlReferenceCase[] }>('multivariate_normal_diag');
const make: Factory = (params, validateArgs) => new MultivariateNormalDiag(params.loc!, params.scaleDiag!, { validateArgs });
const makeIndependent: Factory = (params, validateArgs) => new Independent(new Normal(params.loc!, params.scaleDiag!, { validateArgs }), 1);

describeReferenceCases('MultivariateNormalDiag', fixture.cases, { make });
describeKlReferenceCases('KL(MultivariateNormalDiag ‖ MultivariateNormalDiag)', fixture.kl, make);
describeKlReferenceCases('KL(MultivariateNormalDiag ‖ Independent(Normal, 1)) (mixed pair)', fixture.kl.slice(0, 1), make, makeIndependent);

describe('MultivariateNormalDiag and Independent', () => {
  it('have event shape [d] and batch shape of the leading axes; samples are [...sampleShape, ...batch, d]', () => {
    tf.tidy(() => {
      const d = new MultivariateNormalDiag(tf.zeros([2, 3, 4]), tf.ones([4]));
      expect(d.batchShape).toEqual([2, 3]);
      expect(d.eventShape).toEqual([4]);
      expect(d.rsample([5], 1).shape).toEqual([5, 2, 3, 4]);
      expect(d.logProb(tf.zeros([5, 2, 3, 4])).shape).toEqual([5, 2, 3]);
      expect(d.entropy().shape).toEqual([2, 3]);
      const i2 = new Independent(new Normal(tf.zeros([2, 3, 4]), 1), 2);
      expect([i2.batchShape, i2.eventShape]).toEqual([[2], [3, 4]]);
      expect(i2.logProb(tf.zeros([2, 3, 4])).shape).toEqual([2]);
    });
  });

  it('fromLogVariance equals the constructor with σ = exp(½ logVar), and rsample carries gradients', () => {
    tf.tidy(() => {
      const loc = tf.tensor2d([[0.3, -1], [2, 0]]);
      const logVar = tf.tensor2d([[-2, 0.5], [0, 3]]);
      const a = MultivariateNormalDiag.fromLogVariance(loc, logVar);
      const b = new MultivariateNormalDiag(loc, tf.exp(tf.mul(logVar, 0.5)));
      expect(a).toBeInstanceOf(MultivariateNormalDiag);
      expectClose(a.entropy(), Array.from(b.entropy().dataSync()), REFERENCE_TOLERANCE, 'entropy');
      expectClose(a.logProb(tf.ones([2, 2])), Array.from(b.logProb(tf.ones([2, 2])).dataSync()), REFERENCE_TOLERANCE, 'logProb');
      const g = tf.grad((v: tf.Tensor) => tf.sum(MultivariateNormalDiag.fromLogVariance(loc, v, { validateArgs: false }).rsample([2], 3)))(logVar);
      expect(g.shape).toEqual([2, 2]);
    });
  });

  it('Monte Carlo: moments, entropy and KL', () => {
    tf.tidy(() => {
      const p = new MultivariateNormalDiag(tf.tensor2d([[0, 1, -2], [3, 0, 0]]), tf.tensor2d([[1, 0.1, 4], [2, 2, 0.5]]));
      const q = new MultivariateNormalDiag(tf.tensor2d([[0.5, 1, -1], [2, 0, 1]]), tf.tensor2d([[2, 0.2, 3], [1, 2, 1]]));
      expectMomentsByMonteCarlo(p, 20000, 31);
      expectKlByMonteCarlo(p, q, 20000, 32);
    });
  });

  it('KL between Independents sums the base KL, and is an error for different event shapes', () => {
    tf.tidy(() => {
      const p = new Independent(new Normal(tf.zeros([2, 3]), 1), 2);
      const q = new Independent(new Normal(tf.ones([2, 3]), 2), 2);
      const expected = tf.sum(klDivergence(p.base, q.base));
      expectClose(klDivergence(p, q), Array.from(expected.dataSync()), REFERENCE_TOLERANCE, 'KL');
      expect(() => klDivergence(p, new Independent(new Normal(tf.zeros([2, 3]), 1), 1))).toThrow(/q: expected an Independent with the event shape \[2,3\]/);
    });
  });

  it('rejects bad parameters with errors naming the argument', () => {
    expect(() => new MultivariateNormalDiag(tf.zeros([2]), tf.tensor1d([1, -1]))).toThrow(/scaleDiag: expected finite values > 0, got -1 at flat index 1/);
    expect(() => new MultivariateNormalDiag(0, 1)).toThrow(/loc: expected a tensor of rank ≥ 1/);
    expect(() => new MultivariateNormalDiag(tf.zeros([2]), tf.ones([3]))).toThrow(/loc\/scaleDiag: expected shapes that broadcast/);
    expect(() => new Independent(new Normal(tf.zeros([2]), 1), 2)).toThrow(InvalidArgumentError);
    expect(() => new Independent(new Normal(tf.zeros([2]), 1), 2)).toThrow(/reinterpretedBatchNdims: expected an integer in \[0, 1\]/);
  });

  it('no method leaves tensors behind', () => {
    const d = new MultivariateNormalDiag(tf.tensor1d([0, 1]), tf.tensor1d([1, 2]));
    const q = new MultivariateNormalDiag(tf.tensor1d([1, 1]), tf.tensor1d([1, 3]));
    const x = tf.tensor1d([0.5, 0.5]);
    expectMethodsDoNotLeak(d, x, q);
  });
});
