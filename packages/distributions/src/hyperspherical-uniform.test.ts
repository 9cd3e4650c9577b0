import * as tf from '@tensorflow/tfjs-core';
import { HypersphericalUniform, InvalidArgumentError, VonMisesFisher, hasClosedFormKl, klDivergence, logSphereSurfaceArea } from './index.js';
import { loadFixture } from './test-support/fixtures.js';
import { REFERENCE_TOLERANCE, expectClose, expectGradientClose } from './test-support/numeric-assertions.js';
import { expectKlByMonteCarlo, expectMethodsDoNotLeak, expectMomentsByMonteCarlo } from './test-support/reference-suite.js';

interface KlCase {
  p: number;
  concentration: number[];
  kl: number[];
  grad: number[];
}
const fixture = loadFixture<{ logSphereArea: Record<string, number>; klUniform: KlCase[] }>('von_mises_fisher');

/** A fixed unit vector e₂ of dimension p, repeated n times. */
function direction(n: number, p: number): tf.Tensor {
  const row = Array.from({ length: p }, (_, j) => (j === 1 ? 1 : 0));
  return tf.tensor2d(Array.from({ length: n }, () => row));
}

describe('HypersphericalUniform', () => {
  it('log surface area, logProb and entropy against mpmath', () => {
    for (const [p, value] of Object.entries(fixture.logSphereArea)) {
      expect(Math.abs(logSphereSurfaceArea(Number(p)) - value)).toBeLessThan(1e-12 * Math.max(1, Math.abs(value)));
      tf.tidy(() => {
        const u = new HypersphericalUniform(Number(p), [2]);
        expectClose(u.entropy(), [value, value], REFERENCE_TOLERANCE, `entropy p=${p}`);
        expectClose(u.logProb(u.sample([3], 1)), Array(6).fill(-value), REFERENCE_TOLERANCE, `logProb p=${p}`);
      });
    }
  });

  it('samples: on the sphere, mean 0, variance 1/p, −mean logProb = entropy (Monte Carlo)', () => {
    tf.tidy(() => {
      const u = new HypersphericalUniform(4, [2]);
      const norms = tf.norm(u.sample([100], 3), 'euclidean', -1).dataSync();
      expect(Math.max(...Array.from(norms, (v) => Math.abs(v - 1)))).toBeLessThan(1e-6);
      expectMomentsByMonteCarlo(u, 4000, 7, { mean: true, variance: true, entropy: false });
    });
  });

  it('rejects bad dimensions and values', () => {
    expect(() => new HypersphericalUniform(1)).toThrow(/dimension: expected an integer ≥ 2, got 1/);
    expect(() => new HypersphericalUniform(2.5)).toThrow(InvalidArgumentError);
    expect(() => new HypersphericalUniform(3).logProb(tf.zeros([2]))).toThrow(/value: expected a last axis of size 3/);
  });

  it('no method leaves tensors behind', () => {
    const x = tf.tensor2d([[1, 0, 0]]);
    expectMethodsDoNotLeak(new HypersphericalUniform(3, [1]), x);
    x.dispose();
  });
});

describe.each(fixture.klUniform.map((c) => [c.p, c] as const))('KL(VonMisesFisher ‖ HypersphericalUniform) against mpmath: p = %i', (p, c) => {
  it('closed form (registered) and its κ-gradient', () => {
    const kappa = tf.tensor1d(c.concentration);
    const loc = direction(c.concentration.length, p);
    tf.tidy(() => {
      const vmf = new VonMisesFisher(loc, kappa);
      const u = new HypersphericalUniform(p);
      expect(hasClosedFormKl(vmf, u)).toBe(true);
      expectClose(klDivergence(vmf, u), c.kl, REFERENCE_TOLERANCE, 'KL', (i) => `(κ ${c.concentration[i]})`);
    });
    const g = tf.grad((k: tf.Tensor) => tf.sum(klDivergence(new VonMisesFisher(loc, k, { validateArgs: false }), new HypersphericalUniform(p))))(kappa);
    expectGradientClose(g, c.grad, 'd KL / d κ');
    tf.dispose([kappa, loc, g]);
  });
});

describe('KL(VonMisesFisher ‖ HypersphericalUniform) by Monte Carlo and errors', () => {
  it.each([2, 3, 10])('p = %i: closed form within 4 s.e. of mean(log p − log q) over Wood samples', (p) => {
    tf.tidy(() => {
      expectKlByMonteCarlo(new VonMisesFisher(direction(3, p), tf.tensor1d([0.5, 10, 500])), new HypersphericalUniform(p), 4000, 30 + p);
    });
  });

  it('rejects a uniform of another dimension', () => {
    tf.tidy(() => {
      expect(() => klDivergence(new VonMisesFisher(direction(1, 3), 1), new HypersphericalUniform(4))).toThrow(/q: expected a HypersphericalUniform of dimension 3 \(that of p\), got dimension 4/);
    });
  });
});
