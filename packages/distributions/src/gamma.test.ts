import * as tf from '@tensorflow/tfjs-core';
import { Gamma, InvalidArgumentError, regularizedGammaP } from './index.js';
import { gammaSampleConcentrationGradient } from './special/regularized-gamma.js';
import { loadFixture } from './test-support/fixtures.js';
import { PROBABILITY_TOLERANCE, expectClose, expectWithinStandardErrors } from './test-support/numeric-assertions.js';
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

interface ImplicitCase {
  name: string;
  concentration: number[];
  x: number[];
  dxda: number[];
  cdf: number[];
}
const fixture = loadFixture<{ cases: ReferenceCase[]; kl: KlReferenceCase[]; implicit: ImplicitCase[] }>('gamma');
const make: Factory = (params, validateArgs) => new Gamma(params.concentration!, params.rate!, { validateArgs });

describeReferenceCases('Gamma', fixture.cases, { make, tolerances: { mean: PROBABILITY_TOLERANCE, variance: PROBABILITY_TOLERANCE } });
describeKlReferenceCases('KL(Gamma ‖ Gamma)', fixture.kl.slice(0, 1), make);
// Issue 14: where the textbook form cancels (p ≈ q, α up to 1e4, matched means), 1e-5 relative with no absolute floor.
describeKlReferenceCases('KL(Gamma ‖ Gamma)', fixture.kl.slice(1), make, make, { rtol: 1e-5, atol: 1e-30 });

describe.each(fixture.implicit.map((c) => [c.name, c] as const))('Gamma implicit reparameterisation against SciPy: %s', (_name, c) => {
  it('P(a, x) and ∂x/∂a = −(∂P/∂a)/p(x; a)', () => {
    tf.tidy(() => {
      const a = tf.tensor1d(c.concentration);
      const x = tf.tensor1d(c.x);
      const where = (i: number): string => `(a ${c.concentration[i]}, x ${c.x[i]})`;
      expectClose(regularizedGammaP(a, x), c.cdf, { rtol: 1e-5, atol: 1e-7 }, 'P(a, x)', where);
      expectClose(gammaSampleConcentrationGradient(a, x), c.dxda, { rtol: 1e-4, atol: 1e-7 }, '∂x/∂a', where);
    });
  });
});

describe('Gamma by Monte Carlo', () => {
  const alpha = [0.3, 1, 4.5, 60];
  const rate = [2, 1, 0.5, 10];
  it('sample mean, variance and −mean(logProb) match mean, variance and entropy; KL matches its estimate', () => {
    tf.tidy(() => {
      const p = new Gamma(tf.tensor1d(alpha), tf.tensor1d(rate));
      expectMomentsByMonteCarlo(p, 5000, 81);
      expectKlByMonteCarlo(p, new Gamma(tf.tensor1d([0.5, 2, 4, 50]), tf.tensor1d([1, 1, 1, 9])), 5000, 82);
    });
  });

  it('pathwise gradients: tf.grads equals the mean implicit ∂x/∂α of the same draws, whose mean is ∂E[x]/∂α = 1/β', () => {
    const n = 1000;
    const a = tf.tensor1d(alpha);
    const b = tf.tensor1d(rate);
    const x = tf.tidy(() => new Gamma(a, b, { validateArgs: false }).rsample([n], 83));
    const dxda = tf.tidy(() => tf.div(gammaSampleConcentrationGradient(tf.broadcastTo(a, [n, 4]), tf.mul(x, b)), b).dataSync());
    const xv = x.dataSync();
    const [ga, gb] = tf.grads((c: tf.Tensor, r: tf.Tensor) => tf.mean(new Gamma(c, r, { validateArgs: false }).rsample([n], 83), 0))([a, b]);
    const gaValues = ga!.dataSync();
    const gbValues = gb!.dataSync();
    for (let j = 0; j < 4; j++) {
      const perDraw = Float64Array.from({ length: n }, (_, i) => dxda[i * 4 + j] as number);
      expectWithinStandardErrors(perDraw, 1 / (rate[j] as number), `E[∂x/∂α][${j}]`);
      const mean = perDraw.reduce((s, v) => s + v, 0) / n;
      expect(Math.abs((gaValues[j] as number) - mean)).toBeLessThanOrEqual(1e-5 * Math.abs(mean));
      // ∂x/∂β = −x/β for every draw, so tf.grads must give −mean(x)/β, whose expectation is −α/β².
      const draws = Float64Array.from({ length: n }, (_, i) => -(xv[i * 4 + j] as number) / (rate[j] as number));
      expectWithinStandardErrors(draws, -(alpha[j] as number) / (rate[j] as number) ** 2, `E[∂x/∂β][${j}]`);
      expect(gbValues[j]).toBeCloseTo(draws.reduce((s, v) => s + v, 0) / n, 4);
    }
    tf.dispose([a, b, x, ga!, gb!]);
  });
});

describe('Gamma specifics', () => {
  it('rejects bad parameters with errors naming the argument', () => {
    expect(() => new Gamma(tf.tensor1d([1, -1]), 1)).toThrow(/concentration: expected finite values > 0, got -1 at flat index 1/);
    expect(() => new Gamma(1, 0)).toThrow(/rate: expected finite values > 0, got 0/);
    expect(() => new Gamma(tf.ones([2]), tf.ones([3]))).toThrow(InvalidArgumentError);
  });

  it('samples of tiny concentrations stay positive and finite (clamped at 2⁻¹²⁶ instead of underflowing to 0)', () => {
    tf.tidy(() => {
      const s = new Gamma(tf.tensor1d([0.01, 0.05]), 1).sample([200], 5).dataSync();
      expect(Array.from(s).every((v) => v > 0 && Number.isFinite(v))).toBe(true);
    });
  });

  it('no method leaves tensors behind', () => {
    expectMethodsDoNotLeak(new Gamma(tf.tensor1d([0.5, 3]), tf.tensor1d([1, 2])), tf.tensor1d([0.3, 2]), new Gamma(tf.tensor1d([1, 1]), tf.tensor1d([1, 1])));
  });
});
