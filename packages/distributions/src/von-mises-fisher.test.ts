import * as tf from '@tensorflow/tfjs-core';
import { HypersphericalUniform, InvalidArgumentError, VonMisesFisher, besselIRatio } from './index.js';
import { drawWood } from './wood-sampler.js';
import { loadFixture } from './test-support/fixtures.js';
import { expectWithinStandardErrors, finiteDifferenceGradient } from './test-support/numeric-assertions.js';
import { type Factory, type ReferenceCase, describeReferenceCases, expectMethodsDoNotLeak, expectMomentsByMonteCarlo } from './test-support/reference-suite.js';

const fixture = loadFixture<{ cases: ReferenceCase[] }>('von_mises_fisher');
const make: Factory = (params, validateArgs) => new VonMisesFisher(params.loc!, params.concentration!, { validateArgs });

// Fixture cases: p ∈ {2, 3, 5, 10, 64, 1000}, κ ∈ {1e-3, 0.5, 3, 10, 80, 500, 1e4}, mpmath at 40 digits.
// The variance's A′ cancels for κ ≫ p (see log-bessel.test.ts); its entries are ≤ 1, so an absolute floor of 1e-6 is used.
describeReferenceCases('VonMisesFisher', fixture.cases, { make, tolerances: { variance: { rtol: 1e-4, atol: 1e-6 } } });

/** Unit vectors with a fixed seed, shape [n, p]. */
function randomDirections(n: number, p: number, seed: number): tf.Tensor {
  return tf.tidy(() => {
    const g = tf.randomNormal([n, p], 0, 1, 'float32', seed);
    return tf.div(g, tf.norm(g, 'euclidean', -1, true));
  });
}

describe('VonMisesFisher by Monte Carlo (Wood sampler): p ∈ {2, 3, 10}, κ ∈ {0.5, 10, 500}', () => {
  it.each([2, 3, 10])('p = %i: sample mean ≈ A_p(κ)μ, sample variance ≈ variance, −mean logProb ≈ entropy (4 s.e.)', (p) => {
    tf.tidy(() => {
      const d = new VonMisesFisher(randomDirections(3, p, 10 + p), tf.tensor1d([0.5, 10, 500]));
      expectMomentsByMonteCarlo(d, 4000, 100 + p);
    });
  });

  it('p = 1000, κ = 2000: samples lie on the sphere, μᵀx averages to A_p(κ)', () => {
    tf.tidy(() => {
      const mu = randomDirections(1, 1000, 5);
      const d = new VonMisesFisher(mu, tf.tensor1d([2000]));
      const x = d.sample([500], 3);
      const norms = tf.norm(x, 'euclidean', -1).dataSync();
      expect(Math.max(...Array.from(norms, (v) => Math.abs(v - 1)))).toBeLessThan(1e-5);
      const cos = tf.sum(tf.mul(x, mu), -1).dataSync();
      expectWithinStandardErrors(Float64Array.from(cos), tf.sum(tf.mul(d.mean(), mu)).dataSync()[0] as number, 'E[μᵀx]');
    });
  });

  it('is deterministic in the seed and different seeds give different draws', () => {
    tf.tidy(() => {
      const d = new VonMisesFisher(randomDirections(2, 3, 1), tf.tensor1d([1, 50]));
      expect(Array.from(d.sample([4], 9).dataSync())).toEqual(Array.from(d.sample([4], 9).dataSync()));
      expect(Array.from(d.sample([4], 9).dataSync())).not.toEqual(Array.from(d.sample([4], 10).dataSync()));
      expect(d.sample([5, 2], 9).shape).toEqual([5, 2, 2, 3]);
    });
  });
});

describe('VonMisesFisher rsample gradients', () => {
  it.each([
    [2, [0.5, 10, 500], 3000],
    [3, [0.5, 10, 500], 3000],
    [10, [0.5, 10, 500], 3000],
    [1000, [300, 5000], 300],
  ] as const)('p = %i: implicit ∂w/∂κ averages to A_p′(κ) = ∂E[μᵀx]/∂κ (4 s.e.), and tf.grad returns its mean', (p, kappas, n) => {
    const kappa = tf.tensor1d([...kappas]);
    const members = kappas.length;
    const mu = randomDirections(members, p, 20 + p);
    const aPrime = tf.grad((k: tf.Tensor) => tf.sum(besselIRatio(p / 2 - 1, k)))(kappa);
    const expected = aPrime.dataSync();
    const host = drawWood(kappas, p, n, 77, true);
    const g = tf.grad((k: tf.Tensor) => tf.sum(tf.mul(tf.mean(new VonMisesFisher(mu, k, { validateArgs: false }).rsample([n], 77), 0), mu)))(kappa);
    const gValues = g.dataSync();
    for (let j = 0; j < members; j++) {
      const perDraw = Float64Array.from({ length: n }, (_, i) => host.dwdk![i * members + j] as number);
      expectWithinStandardErrors(perDraw, expected[j] as number, `E[∂w/∂κ] (κ ${kappas[j]})`);
      const mean = perDraw.reduce((s, v) => s + v, 0) / n;
      expect(Math.abs((gValues[j] as number) - mean)).toBeLessThanOrEqual(1e-4 * Math.abs(mean) + 1e-7);
    }
    tf.dispose([kappa, mu, aPrime, g]);
  });

  it('rsample equals sample (same seed) and its loc-gradient matches finite differences (x′ does not depend on loc)', () => {
    const loc = tf.tensor2d([[0.6, 0, 0.8], [-0.48, 0.6, 0.64]]);
    const kappa = tf.tensor1d([2, 30]);
    const weights = tf.tensor2d([[0.3, -1, 2], [1, 0.5, -0.7]]);
    tf.tidy(() => {
      const d = new VonMisesFisher(loc, kappa);
      expect(Array.from(d.rsample([4], 5).dataSync())).toEqual(Array.from(d.sample([4], 5).dataSync()));
    });
    const f = (l: tf.Tensor): tf.Tensor => tf.sum(tf.mul(new VonMisesFisher(l, kappa, { validateArgs: false }).rsample([3], 11), weights));
    const g = tf.grad(f)(loc);
    const fd = finiteDifferenceGradient(f, loc);
    const gValues = g.dataSync();
    fd.forEach((e, i) => expect(Math.abs((gValues[i] as number) - e)).toBeLessThanOrEqual(2e-3 * Math.max(1, Math.abs(e))));
    tf.dispose([loc, kappa, weights, g]);
  });
});

describe('VonMisesFisher specifics', () => {
  it('mean direction e₁ (Householder identity) and −e₁ are sampled correctly', () => {
    tf.tidy(() => {
      const d = new VonMisesFisher(tf.tensor2d([[1, 0, 0], [-1, 0, 0]]), tf.tensor1d([20, 20]));
      expectMomentsByMonteCarlo(d, 2000, 4, { mean: true, variance: false, entropy: false });
    });
  });

  it('rejects bad parameters with errors naming the argument, the expectation and the value', () => {
    expect(() => new VonMisesFisher(tf.tensor1d([0.6, 0.6]), 1)).toThrow(/loc: expected unit vectors along the last axis .*, got a vector of norm 0.848\d* at batch index 0/);
    expect(() => new VonMisesFisher(tf.tensor1d([0, 1]), 0)).toThrow(/concentration: expected finite values > 0, got 0/);
    expect(() => new VonMisesFisher(tf.tensor1d([0, 1]), -2)).toThrow(InvalidArgumentError);
    expect(() => new VonMisesFisher(tf.tensor1d([1]), 1)).toThrow(/loc: expected a last axis \(dimension p\) of size ≥ 2, got size 1/);
    expect(() => new VonMisesFisher(tf.scalar(1), 1)).toThrow(/loc: expected a tensor of rank ≥ 1/);
    expect(() => new VonMisesFisher(tf.tensor2d([[1, 0], [0, 1]]), tf.tensor1d([1, 2, 3]))).toThrow(InvalidArgumentError);
    tf.tidy(() => {
      const d = new VonMisesFisher(tf.tensor1d([0, 1]), 1);
      expect(() => d.logProb(tf.tensor1d([1, 0, 0]))).toThrow(/value: expected a last axis of size 2/);
    });
  });

  it('the rejection loop is bounded: a NaN concentration (validation off) fails with a clear error instead of hanging', () => {
    tf.tidy(() => {
      const d = new VonMisesFisher(tf.tensor1d([0, 1]), Number.NaN, { validateArgs: false });
      expect(() => d.sample([1], 0)).toThrow(/rejected 1000 proposals in a row \(κ NaN, p 2\)/);
    });
  });

  it('no method (KL to the uniform included) leaves tensors behind', () => {
    const loc = tf.tensor2d([[0, 1, 0], [0.6, 0, 0.8]]);
    const kappa = tf.tensor1d([0.5, 300]);
    const x = tf.tensor2d([[1, 0, 0], [0.6, 0, 0.8]]);
    expectMethodsDoNotLeak(new VonMisesFisher(loc, kappa), x, new HypersphericalUniform(3));
    tf.dispose([loc, kappa, x]);
  });
});
