import * as tf from '@tensorflow/tfjs-core';
import { Beta, Dirichlet, InvalidArgumentError, klDivergence } from './index.js';
import { loadFixture } from './test-support/fixtures.js';
import { PROBABILITY_TOLERANCE, REFERENCE_TOLERANCE, expectClose, expectWithinStandardErrors } from './test-support/numeric-assertions.js';
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
const beta = loadFixture<Fixture>('beta');
const dirichlet = loadFixture<Fixture>('dirichlet');
const makeBeta: Factory = (params, validateArgs) => new Beta(params.concentration1!, params.concentration0!, { validateArgs });
const makeDirichlet: Factory = (params, validateArgs) => new Dirichlet(params.concentration!, { validateArgs });
const moments = { mean: PROBABILITY_TOLERANCE, variance: PROBABILITY_TOLERANCE };

describeReferenceCases('Beta', beta.cases, { make: makeBeta, tolerances: moments });
describeKlReferenceCases('KL(Beta ‖ Beta)', beta.kl, makeBeta);
describeReferenceCases('Dirichlet', dirichlet.cases, { make: makeDirichlet, tolerances: moments });
describeKlReferenceCases('KL(Dirichlet ‖ Dirichlet)', dirichlet.kl, makeDirichlet);

describe('Beta and Dirichlet by Monte Carlo', () => {
  it('Beta: moments, entropy, KL; pathwise gradient of the mean matches ∂E[x]/∂α = β/(α + β)²', () => {
    tf.tidy(() => {
      const a = [0.4, 2, 8];
      const b = [0.7, 5, 1.5];
      const p = new Beta(tf.tensor1d(a), tf.tensor1d(b));
      expectMomentsByMonteCarlo(p, 5000, 91);
      expectKlByMonteCarlo(p, new Beta(tf.tensor1d([1, 1, 4]), tf.tensor1d([1, 3, 2])), 5000, 92);
      // Per-draw pathwise gradients in one pass: n copies of the parameters, one draw each.
      const n = 1000;
      const g = tf.grad((c: tf.Tensor) => tf.sum(new Beta(c, tf.tile(tf.tensor2d([b]), [n, 1]), { validateArgs: false }).rsample([], 95)))(tf.tile(tf.tensor2d([a]), [n, 1]));
      const values = g.dataSync();
      a.forEach((ai, j) => {
        const bj = b[j] as number;
        const column = Float64Array.from({ length: n }, (_, i) => values[i * 3 + j] as number);
        expectWithinStandardErrors(column, bj / (ai + bj) ** 2, `∂E[x]/∂α[${j}]`);
      });
    });
  });

  it('Dirichlet: moments, entropy and KL; a K = 2 Dirichlet equals the Beta', () => {
    tf.tidy(() => {
      const alpha = tf.tensor2d([[0.5, 1, 3], [4, 4, 0.8]]);
      const p = new Dirichlet(alpha);
      expectMomentsByMonteCarlo(p, 5000, 93);
      expectKlByMonteCarlo(p, new Dirichlet(tf.tensor2d([[1, 1, 1], [2, 5, 1]])), 5000, 94);
      const d2 = new Dirichlet(tf.tensor2d([[2, 3]]));
      const b2 = new Beta(tf.tensor1d([2]), tf.tensor1d([3]));
      expectClose(d2.logProb(tf.tensor2d([[0.3, 0.7]])), Array.from(b2.logProb(tf.tensor1d([0.3])).dataSync()), REFERENCE_TOLERANCE, 'logProb');
      expectClose(d2.entropy(), Array.from(b2.entropy().dataSync()), REFERENCE_TOLERANCE, 'entropy');
      const q2 = new Dirichlet(tf.tensor2d([[1, 4]]));
      expectClose(klDivergence(d2, q2), Array.from(klDivergence(b2, new Beta(tf.tensor1d([1]), tf.tensor1d([4]))).dataSync()), REFERENCE_TOLERANCE, 'KL');
    });
  });
});

describe('Beta and Dirichlet specifics', () => {
  it('rejects bad parameters with errors naming the argument', () => {
    expect(() => new Beta(tf.tensor1d([1, 0]), 1)).toThrow(/concentration1: expected finite values > 0, got 0 at flat index 1/);
    expect(() => new Beta(1, -3)).toThrow(/concentration0: expected finite values > 0, got -3/);
    expect(() => new Dirichlet(tf.tensor1d([1, NaN]))).toThrow(/concentration: expected finite values > 0, got NaN at flat index 1/);
    expect(() => new Dirichlet(tf.tensor1d([1]))).toThrow(/concentration: expected a tensor of rank ≥ 1 with at least 2 categories/);
    expect(() => new Dirichlet(2)).toThrow(InvalidArgumentError);
  });

  it('samples lie in (0, 1) / on the simplex, also for tiny concentrations', () => {
    tf.tidy(() => {
      const s = new Beta(tf.tensor1d([0.02, 50]), tf.tensor1d([0.02, 0.05])).sample([100], 4).dataSync();
      expect(Array.from(s).every((v) => v >= 0 && v <= 1)).toBe(true);
      const d = new Dirichlet(tf.tensor1d([0.05, 1, 20])).sample([50], 5);
      expectClose(tf.sum(d, -1), Array(50).fill(1), { rtol: 1e-6, atol: 0 }, 'simplex');
    });
  });

  it('no method leaves tensors behind', () => {
    expectMethodsDoNotLeak(new Beta(tf.tensor1d([2, 0.5]), tf.tensor1d([3, 0.5])), tf.tensor1d([0.3, 0.6]), new Beta(tf.tensor1d([1, 1]), tf.tensor1d([1, 2])));
    expectMethodsDoNotLeak(new Dirichlet(tf.tensor1d([2, 0.5, 1])), tf.tensor1d([0.3, 0.3, 0.4]), new Dirichlet(tf.tensor1d([1, 1, 1])));
  });
});
