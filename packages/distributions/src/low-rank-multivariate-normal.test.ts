import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, LowRankMultivariateNormal, MultivariateNormalDiag } from './index.js';
import { loadFixture } from './test-support/fixtures.js';
import { REFERENCE_TOLERANCE, expectClose, finiteDifferenceGradient } from './test-support/numeric-assertions.js';
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

const fixture = loadFixture<{ cases: ReferenceCase[]; kl: KlReferenceCase[] }>('low_rank_multivariate_normal');
const make: Factory = (params, validateArgs) => new LowRankMultivariateNormal(params.loc!, params.covFactor!, params.covDiag!, { validateArgs });

describeReferenceCases('LowRankMultivariateNormal', fixture.cases, { make });
describeKlReferenceCases('KL(LowRankMultivariateNormal ‖ LowRankMultivariateNormal)', fixture.kl.slice(0, 2), make);
// Issue 14: KL(p ‖ p) reached −6e-3 at condition number 1e5; it is now 0 by construction, on every backend.
describeKlReferenceCases('KL(LowRankMultivariateNormal ‖ LowRankMultivariateNormal)', fixture.kl.slice(2), make, make, { rtol: 0, atol: 0 });

describe('LowRankMultivariateNormal', () => {
  it('Monte Carlo: sample moments and −mean(logProb) match mean, variance and entropy', () => {
    tf.tidy(() => {
      const d = new LowRankMultivariateNormal(
        tf.tensor2d([[0, 1, -1], [2, 0, 0.5]]),
        tf.tensor3d([[[1, 0], [0.5, 1], [-1, 0.3]], [[0.2, 0.1], [1, -1], [0, 2]]]),
        tf.tensor2d([[0.5, 1, 0.2], [1, 0.1, 0.3]]),
      );
      expectMomentsByMonteCarlo(d, 10000, 121);
      const q = new LowRankMultivariateNormal(tf.tensor2d([[1, 0, 0], [0, 0, 0]]), tf.tensor3d([[[0.3], [0], [1]], [[1], [1], [1]]]), tf.ones([2, 3]));
      expectKlByMonteCarlo(d, q, 10000, 122);
    });
  });

  it('with a zero factor it is the diagonal normal; logProb broadcasts over sample dimensions', () => {
    tf.tidy(() => {
      const loc = tf.tensor2d([[0, 1], [2, -1]]);
      const diag = tf.tensor2d([[0.5, 2], [1, 0.1]]);
      const low = new LowRankMultivariateNormal(loc, tf.zeros([2, 2, 1]), diag);
      const mvn = new MultivariateNormalDiag(loc, tf.sqrt(diag));
      const x = tf.randomNormal([3, 2, 2], 0, 1, 'float32', 5);
      expectClose(low.logProb(x), Array.from(mvn.logProb(x).dataSync()), REFERENCE_TOLERANCE, 'logProb');
      expect(low.logProb(x).shape).toEqual([3, 2]);
      expectClose(low.entropy(), Array.from(mvn.entropy().dataSync()), REFERENCE_TOLERANCE, 'entropy');
    });
  });

  it('rsample gradients match finite differences through tfjs', () => {
    const w = tf.tensor3d([[[1, 0.2], [0.5, 1], [-1, 0.3]]]);
    const f = (v: tf.Tensor): tf.Tensor => tf.sum(tf.square(new LowRankMultivariateNormal(tf.zeros([1, 3]), v, tf.ones([1, 3]), { validateArgs: false }).rsample([4], 3)), 0);
    const g = tf.grad((v: tf.Tensor) => tf.sum(f(v)))(w);
    expectClose(g, Array.from(finiteDifferenceGradient(f, w)), { rtol: 1e-3, atol: 1e-4 }, 'd/d covFactor');
    tf.dispose([w, g]);
  });

  it('rejects bad parameters with errors naming the argument', () => {
    expect(() => new LowRankMultivariateNormal(tf.zeros([3]), tf.zeros([3, 1]), tf.tensor1d([1, 0, 1]))).toThrow(/covDiag: expected finite values > 0, got 0 at flat index 1/);
    expect(() => new LowRankMultivariateNormal(tf.zeros([3]), tf.zeros([2, 1]), tf.ones([3]))).toThrow(/covFactor: expected shape \[3, r\]/);
    expect(() => new LowRankMultivariateNormal(tf.zeros([3]), tf.zeros([3, 1]), tf.ones([2]))).toThrow(InvalidArgumentError);
  });

  it('no method leaves tensors behind', () => {
    expectMethodsDoNotLeak(new LowRankMultivariateNormal(tf.zeros([2]), tf.ones([2, 1]), tf.ones([2])), tf.tensor1d([0.5, -1]));
  });
});
