import * as tf from '@tensorflow/tfjs-core';
import { Kumaraswamy } from './index.js';
import { loadFixture } from './test-support/fixtures.js';
import { PROBABILITY_TOLERANCE, expectClose, finiteDifferenceGradient } from './test-support/numeric-assertions.js';
import { type Factory, type ReferenceCase, describeReferenceCases, expectMethodsDoNotLeak, expectMomentsByMonteCarlo } from './test-support/reference-suite.js';

const fixture = loadFixture<{ cases: ReferenceCase[] }>('kumaraswamy');
const make: Factory = (params, validateArgs) => new Kumaraswamy(params.concentration1!, params.concentration0!, { validateArgs });

// Mean and variance to 1e-5 relative with no absolute floor, also for concentrated shapes (issue 14: the
// variance was 650 % off at a = b = 200, 4 % at (59, 57)).
describeReferenceCases('Kumaraswamy', [fixture.cases[0]!, ...fixture.cases.slice(2)], { make, tolerances: { mean: PROBABILITY_TOLERANCE, variance: PROBABILITY_TOLERANCE } });
// a = b = 0.05: below a = 1 the moments are lnΓ values near 110 (lnΓ(41)), whose float32 rounding leaves 5e-5.
describeReferenceCases('Kumaraswamy', fixture.cases.slice(1, 2), { make, tolerances: { mean: PROBABILITY_TOLERANCE, variance: { rtol: 1e-4, atol: 1e-30 } } });

describe('Kumaraswamy', () => {
  it('Monte Carlo: moments and entropy', () => {
    tf.tidy(() => expectMomentsByMonteCarlo(new Kumaraswamy(tf.tensor1d([0.5, 2, 5, 1]), tf.tensor1d([0.7, 3, 1, 1])), 20000, 71));
  });

  it('rsample gradients match finite differences through tfjs', () => {
    const a = tf.tensor1d([0.5, 2, 5]);
    const b = tf.tensor1d([0.7, 3, 1.5]);
    const f = (x: tf.Tensor, y: tf.Tensor): tf.Tensor => tf.sum(tf.square(new Kumaraswamy(x, y, { validateArgs: false }).rsample([4], 9)), 0);
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(f(x, y)))([a, b]);
    expectClose(ga!, Array.from(finiteDifferenceGradient((x) => f(x, b), a)), { rtol: 1e-3, atol: 1e-4 }, 'd/d a');
    expectClose(gb!, Array.from(finiteDifferenceGradient((y) => f(a, y), b)), { rtol: 1e-3, atol: 1e-4 }, 'd/d b');
    tf.dispose([a, b, ga!, gb!]);
  });

  it('mode where it exists, NaN where the density has no interior maximum', () => {
    tf.tidy(() => {
      const m = new Kumaraswamy(tf.tensor1d([2, 0.5]), tf.tensor1d([3, 3])).mode().dataSync();
      expect(m[0]).toBeCloseTo(Math.pow(1 / 5, 1 / 2), 6);
      expect(m[1]).toBeNaN();
    });
  });

  it('rejects bad parameters with errors naming the argument', () => {
    expect(() => new Kumaraswamy(1, -2)).toThrow(/concentration0: expected finite values > 0, got -2/);
    expect(() => new Kumaraswamy(0, 2)).toThrow(/concentration1: expected finite values > 0, got 0/);
  });

  it('no method leaves tensors behind', () => {
    expectMethodsDoNotLeak(new Kumaraswamy(tf.tensor1d([2, 1]), tf.tensor1d([3, 0.5])), tf.tensor1d([0.3, 0.9]));
  });
});
