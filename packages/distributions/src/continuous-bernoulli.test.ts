import * as tf from '@tensorflow/tfjs-core';
import { Bernoulli, ContinuousBernoulli, InvalidArgumentError, klDivergence } from './index.js';
import { loadFixture } from './test-support/fixtures.js';
import {
  PROBABILITY_TOLERANCE,
  expectAllFinite,
  expectClose,
  expectGradientClose,
  finiteDifferenceGradient,
} from './test-support/numeric-assertions.js';
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

interface CbCase extends ReferenceCase {
  u: number[];
  icdf: number[];
  gradIcdf: Record<string, number[]>;
}
const fixture = loadFixture<{ cases: CbCase[]; kl: KlReferenceCase[] }>('continuous_bernoulli');
const make: Factory = (params, validateArgs) =>
  params.probs !== undefined
    ? new ContinuousBernoulli({ probs: params.probs }, { validateArgs })
    : new ContinuousBernoulli({ logits: params.logits! }, { validateArgs });

describeReferenceCases('ContinuousBernoulli', fixture.cases, { make, tolerances: { mean: PROBABILITY_TOLERANCE, variance: PROBABILITY_TOLERANCE } });
describeKlReferenceCases('KL(ContinuousBernoulli ‖ ContinuousBernoulli)', fixture.kl, make);

describe.each(fixture.cases.map((c) => [c.name, c] as const))('ContinuousBernoulli.icdf (the rsample map) against mpmath: %s', (_name, c) => {
  const key = Object.keys(c.params)[0] as 'logits' | 'probs';
  it('values, and cdf(icdf(u)) = u', () => {
    tf.tidy(() => {
      const d = make({ [key]: tf.tensor1d(c.params[key] as number[]) }, true) as ContinuousBernoulli;
      const u = tf.tensor1d(c.u);
      expectClose(d.icdf(u), c.icdf, { rtol: 1e-5, atol: 1e-7 }, 'icdf', (i) => `(${key} ${(c.params[key] as number[])[i]}, u ${c.u[i]})`);
      expectClose(d.cdf(d.icdf(u)), c.u, { rtol: 1e-5, atol: 1e-6 }, 'cdf∘icdf');
    });
  });
  it(`gradient of icdf with respect to ${key} (the rsample pathwise derivative)`, () => {
    tf.tidy(() => {
      const u = tf.tensor1d(c.u);
      const g = tf.grad((v: tf.Tensor) => tf.sum((make({ [key]: v }, false) as ContinuousBernoulli).icdf(u)))(tf.tensor1d(c.params[key] as number[]));
      expectGradientClose(g, c.gradIcdf[key]!, `d icdf / d ${key}`);
    });
  });
});

describe('ContinuousBernoulli by Monte Carlo', () => {
  const logits = [-25, -3, -0.4, 0, 1e-3, 0.8, 6];
  it('sample mean, variance and −mean(logProb) match mean, variance and entropy', () => {
    tf.tidy(() => expectMomentsByMonteCarlo(new ContinuousBernoulli({ logits: tf.tensor1d(logits) }), 8000, 21));
  });
  it('KL closed form matches its Monte-Carlo estimate', () => {
    tf.tidy(() =>
      expectKlByMonteCarlo(
        new ContinuousBernoulli({ logits: tf.tensor1d(logits) }),
        new ContinuousBernoulli({ probs: tf.tensor1d([0.3, 0.5, 0.9, 0.2, 0.5, 0.01, 0.999]) }),
        8000,
        22,
      ),
    );
  });
});

describe('ContinuousBernoulli specifics', () => {
  it('is the normalised Bernoulli: logProb = Bernoulli.logProb + log C, and integrates to 1', () => {
    tf.tidy(() => {
      const logits = tf.tensor1d([-4, 0, 0.3, 9]);
      const cb = new ContinuousBernoulli({ logits });
      const x = tf.tensor2d([[0.1], [0.5], [0.9]]);
      const expected = tf.add(new Bernoulli({ logits }).logProb(x), cb.logNormalizer());
      expectClose(cb.logProb(x), Array.from(expected.dataSync()), { rtol: 1e-6, atol: 1e-6 }, 'logProb');
      // Midpoint rule with 2000 cells: error ≈ max|p''|/(24·2000²), < 1e-5 for |η| ≤ 9.
      const grid = tf.reshape(tf.add(tf.mul(tf.range(0, 2000, 1, 'float32'), 1 / 2000), 0.5 / 2000), [2000, 1]);
      const integral = tf.mean(cb.prob(grid), 0).dataSync();
      expectClose(integral, [1, 1, 1, 1], { rtol: 1e-4, atol: 0 }, '∫p');
    });
  });

  it('rsample is reparameterised: pathwise gradients match finite differences through tfjs', () => {
    const logits = tf.tensor1d([-30, -2, -1e-3, 0.05, 1.5, 40]);
    const f = (l: tf.Tensor): tf.Tensor => tf.sum(tf.square(new ContinuousBernoulli({ logits: l }, { validateArgs: false }).rsample([4], 5)), 0);
    const g = tf.grad((l: tf.Tensor) => tf.sum(f(l)))(logits);
    expectClose(g, Array.from(finiteDifferenceGradient(f, logits)), { rtol: 1e-3, atol: 1e-4 }, 'd rsample / d logits');
    tf.dispose([logits, g]);
  });

  it('stays finite and exact at λ = ½ (η = 0), where the textbook forms are 0/0', () => {
    tf.tidy(() => {
      const d = new ContinuousBernoulli({ probs: tf.tensor1d([0.5, 0.5]) });
      expectClose(d.entropy(), [0, 0], { rtol: 0, atol: 0 }, 'entropy');
      expectClose(d.mean(), [0.5, 0.5], { rtol: 0, atol: 0 }, 'mean');
      expectClose(d.variance(), [1 / 12, 1 / 12], { rtol: 1e-7, atol: 0 }, 'variance');
      expectClose(d.logProb(tf.tensor1d([0.2, 0.9])), [0, 0], { rtol: 0, atol: 0 }, 'logProb');
      expectClose(d.cdf(tf.tensor1d([0.2, 0.9])), [0.2, 0.9], { rtol: 1e-7, atol: 0 }, 'cdf');
      expect(Array.from(d.mode().dataSync())).toEqual([0.5, 0.5]);
      const grads = tf.grads((l: tf.Tensor) => {
        const cb = new ContinuousBernoulli({ logits: l }, { validateArgs: false });
        return tf.add(tf.sum(cb.entropy()), tf.add(tf.sum(cb.rsample([3], 1)), tf.sum(cb.logProb(tf.scalar(0.3)))));
      })([tf.zeros([2])]);
      expectAllFinite(grads[0]!, 'gradients at η = 0');
    });
  });

  it('rejects bad parameters with errors naming the argument', () => {
    expect(() => new ContinuousBernoulli({ probs: tf.tensor1d([0.5, 1]) })).toThrow(/probs: expected values in the open interval \(0, 1\), got 1 at flat index 1/);
    expect(() => new ContinuousBernoulli({ probs: 0 })).toThrow(InvalidArgumentError);
    expect(() => new ContinuousBernoulli({ logits: Infinity })).toThrow(/logits: expected finite values, got Infinity/);
    tf.tidy(() => {
      expect(() => new ContinuousBernoulli({ logits: tf.zeros([3]) }).cdf(tf.zeros([2]))).toThrow(/value\/logits: expected shapes that broadcast/);
    });
  });

  it('no method leaves tensors behind', () => {
    const logits = tf.tensor1d([0.2, -7]);
    const x = tf.tensor1d([0.1, 0.6]);
    const d = new ContinuousBernoulli({ logits });
    const q = new ContinuousBernoulli({ logits: tf.tensor1d([1, 0]) }); // its tensors exist before the leak check starts
    expectMethodsDoNotLeak(d, x, q);
    const before = tf.memory().numTensors;
    d.icdf(x).dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(klDivergence(d, q).shape).toEqual([2]);
  });
});
