import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, Laplace } from './index.js';
import { loadFixture } from './test-support/fixtures.js';
import { expectClose, finiteDifferenceGradient } from './test-support/numeric-assertions.js';
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

const fixture = loadFixture<{ cases: ReferenceCase[]; kl: KlReferenceCase[] }>('laplace');
const make: Factory = (params, validateArgs) => new Laplace(params.loc!, params.scale!, { validateArgs });

describeReferenceCases('Laplace', fixture.cases, { make });
describeKlReferenceCases('KL(Laplace ‖ Laplace)', fixture.kl, make);

describe('Laplace', () => {
  it('Monte Carlo: moments, entropy and KL', () => {
    tf.tidy(() => {
      const p = new Laplace(tf.tensor1d([0, 3, -1]), tf.tensor1d([1, 0.1, 5]));
      expectMomentsByMonteCarlo(p, 20000, 51);
      expectKlByMonteCarlo(p, new Laplace(tf.tensor1d([1, 3, 0]), tf.tensor1d([2, 0.2, 4])), 20000, 52);
    });
  });

  it('rsample gradients match finite differences through tfjs', () => {
    const loc = tf.tensor1d([0.5, -1]);
    const scale = tf.tensor1d([0.3, 2]);
    const f = (l: tf.Tensor, s: tf.Tensor): tf.Tensor => tf.sum(tf.square(new Laplace(l, s, { validateArgs: false }).rsample([4], 9)), 0);
    const [gl, gs] = tf.grads((l: tf.Tensor, s: tf.Tensor) => tf.sum(f(l, s)))([loc, scale]);
    expectClose(gl!, Array.from(finiteDifferenceGradient((l) => f(l, scale), loc)), { rtol: 1e-3, atol: 1e-4 }, 'd/d loc');
    expectClose(gs!, Array.from(finiteDifferenceGradient((s) => f(loc, s), scale)), { rtol: 1e-3, atol: 1e-4 }, 'd/d scale');
    tf.dispose([loc, scale, gl!, gs!]);
  });

  it('rejects bad parameters with errors naming the argument', () => {
    expect(() => new Laplace(0, -1)).toThrow(/scale: expected finite values > 0, got -1/);
    expect(() => new Laplace(NaN, 1)).toThrow(/loc: expected finite values, got NaN/);
    expect(() => new Laplace(tf.zeros([2]), tf.ones([3]))).toThrow(InvalidArgumentError);
  });

  it('no method leaves tensors behind', () => {
    expectMethodsDoNotLeak(new Laplace(tf.tensor1d([0, 1]), tf.tensor1d([1, 2])), tf.tensor1d([0.3, -2]), new Laplace(tf.tensor1d([1, 1]), tf.tensor1d([1, 1])));
  });
});
