import * as tf from '@tensorflow/tfjs-core';
import { Poisson, UnsupportedMethodError } from './index.js';
import { loadFixture } from './test-support/fixtures.js';
import { PROBABILITY_TOLERANCE } from './test-support/numeric-assertions.js';
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

const fixture = loadFixture<{ cases: ReferenceCase[]; kl: KlReferenceCase[] }>('poisson');
const make: Factory = (params, validateArgs) => new Poisson(params.rate!, { validateArgs });

describeReferenceCases('Poisson', fixture.cases, { make, tolerances: { mean: PROBABILITY_TOLERANCE, variance: PROBABILITY_TOLERANCE } });
describeKlReferenceCases('KL(Poisson ‖ Poisson)', fixture.kl, make);

describe('Poisson', () => {
  it('Monte Carlo: moments, entropy (both sides of the series switch) and KL', () => {
    tf.tidy(() => {
      const p = new Poisson(tf.tensor1d([0.05, 3, 19, 25, 400]));
      expectMomentsByMonteCarlo(p, 10000, 61);
      expectKlByMonteCarlo(p, new Poisson(tf.tensor1d([0.1, 2, 20, 30, 380])), 10000, 62);
    });
  });

  it('samples are non-negative integer counts; rsample and cdf are unavailable', () => {
    tf.tidy(() => {
      const d = new Poisson(tf.tensor1d([2, 1e-3]));
      const s = d.sample([50], 3).dataSync();
      expect(Array.from(s).every((v) => v >= 0 && Number.isInteger(v))).toBe(true);
      expect(() => d.rsample([1], 0)).toThrow(UnsupportedMethodError);
      expect(() => d.cdf(tf.scalar(1))).toThrow(UnsupportedMethodError);
      expect(d.logProb(tf.tensor1d([3, 0], 'int32')).shape).toEqual([2]);
    });
  });

  it('rejects bad parameters with errors naming the argument', () => {
    expect(() => new Poisson(tf.tensor1d([1, 0]))).toThrow(/rate: expected finite values > 0, got 0 at flat index 1/);
    expect(() => new Poisson(1).logProb(tf.tensor1d([true], 'bool'))).toThrow(/value: expected an int32 or float32 tensor of counts/);
  });

  it('no method leaves tensors behind', () => {
    expectMethodsDoNotLeak(new Poisson(tf.tensor1d([0.5, 30])), tf.tensor1d([0, 31]), new Poisson(tf.tensor1d([1, 1])));
  });
});
