import * as tf from '@tensorflow/tfjs-core';
import { Bernoulli, InvalidArgumentError, UnsupportedMethodError, klDivergence } from './index.js';
import { loadFixture } from './test-support/fixtures.js';
import { PROBABILITY_TOLERANCE, expectClose, expectGradientClose } from './test-support/numeric-assertions.js';
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

const fixture = loadFixture<{ cases: ReferenceCase[]; kl: KlReferenceCase[] }>('bernoulli');
const make: Factory = (params, validateArgs) =>
  params.probs !== undefined ? new Bernoulli({ probs: params.probs }, { validateArgs }) : new Bernoulli({ logits: params.logits! }, { validateArgs });

describeReferenceCases('Bernoulli', fixture.cases, {
  make,
  tolerances: { mean: PROBABILITY_TOLERANCE, variance: PROBABILITY_TOLERANCE },
  gradientsSkippedOnWasm: {
    'logits extreme/entropy': "the entropy gradient at η = ±1e-4 (≈ 2.5e-5) is 1.1e-8 off on wasm, whose exp/sigmoid kernels are ~1 ulp less accurate: 2.2× the relative gradient tolerance for that tiny element",
  },
});
describeKlReferenceCases('KL(Bernoulli ‖ Bernoulli)', fixture.kl, make);

describe('Bernoulli by Monte Carlo', () => {
  it('sample mean, variance and −mean(logProb) match mean, variance and entropy', () => {
    tf.tidy(() => expectMomentsByMonteCarlo(new Bernoulli({ probs: tf.tensor1d([0.02, 0.3, 0.5, 0.97]) }), 20000, 11));
  });
  it('KL closed form matches its Monte-Carlo estimate', () => {
    tf.tidy(() => expectKlByMonteCarlo(new Bernoulli({ logits: tf.tensor1d([-2, 0.5, 3]) }), new Bernoulli({ probs: tf.tensor1d([0.4, 0.1, 0.9]) }), 20000, 12));
  });
});

describe('Bernoulli specifics', () => {
  it('probs 0 and 1 are valid: exact log-probabilities, zero entropy, infinite KL where q has no mass', () => {
    tf.tidy(() => {
      const d = new Bernoulli({ probs: tf.tensor1d([0, 1]) });
      expect(Array.from(d.logProb(tf.tensor1d([0, 1])).dataSync())).toEqual([0, 0]);
      expect(Array.from(d.logProb(tf.tensor1d([1, 0])).dataSync())).toEqual([-Infinity, -Infinity]);
      expect(Array.from(d.entropy().dataSync(), (v) => v === 0)).toEqual([true, true]); // ±0
      expect(Array.from(d.variance().dataSync())).toEqual([0, 0]);
      const q = new Bernoulli({ probs: tf.tensor1d([0.5, 0]) });
      expectClose(klDivergence(d, q), [Math.LN2, Infinity], { rtol: 1e-6, atol: 0 }, 'KL');
      expect(Array.from(d.sample([4], 3).dataSync())).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
    });
  });

  it('logProb on x ∈ [0, 1] is the negative binary cross-entropy (the VAE decoder on grey levels)', () => {
    tf.tidy(() => {
      const logits = tf.tensor1d([-3, 0.2, 5]);
      const x = tf.tensor1d([0.25, 0.5, 0.9]);
      const p = [-3, 0.2, 5].map((l) => 1 / (1 + Math.exp(-l)));
      const expected = [0.25, 0.5, 0.9].map((xi, i) => xi * Math.log(p[i]!) + (1 - xi) * Math.log(1 - p[i]!));
      expectClose(new Bernoulli({ logits }).logProb(x), expected, { rtol: 1e-6, atol: 1e-7 }, 'BCE');
      // d/dη = x − σ(η), the classic BCE gradient.
      const g = tf.grad((l: tf.Tensor) => tf.sum(new Bernoulli({ logits: l }, { validateArgs: false }).logProb(x)))(logits);
      expectGradientClose(g, [0.25, 0.5, 0.9].map((xi, i) => xi - p[i]!), 'd BCE/dη');
    });
  });

  it('samples are 0/1 of shape [...sampleShape, ...batchShape]; rsample is unavailable', () => {
    tf.tidy(() => {
      const d = new Bernoulli({ logits: tf.zeros([2, 3]) });
      const s = d.sample([5], 1);
      expect(s.shape).toEqual([5, 2, 3]);
      expect(new Set(s.dataSync())).toEqual(new Set([0, 1]));
      expect(() => d.rsample([1], 1)).toThrow(UnsupportedMethodError);
      expect(Array.from(d.cdf(tf.tensor3d([-1, 0, 0.5, 1, 2], [5, 1, 1])).dataSync()).slice(0, 30).filter((_, i) => i % 6 === 0)).toEqual([
        0, 0.5, 0.5, 1, 1,
      ]);
    });
  });

  it('rejects bad parameters with errors naming the argument', () => {
    expect(() => new Bernoulli({ probs: tf.tensor1d([0.5, 1.5]) })).toThrow(/probs: expected values in \[0, 1\], got 1.5 at flat index 1/);
    expect(() => new Bernoulli({ probs: -0.1 })).toThrow(InvalidArgumentError);
    expect(() => new Bernoulli({ logits: NaN })).toThrow(/logits: expected finite values, got NaN/);
    expect(() => new Bernoulli({ logits: 1, probs: 0.5 } as never)).toThrow(/logits\/probs: expected exactly one of \{ logits \} or \{ probs \}, got both/);
    expect(() => new Bernoulli({} as never)).toThrow(/got neither/);
    expect(() => new Bernoulli({ probs: tf.tensor1d([1], 'int32') })).toThrow(/probs: expected dtype float32/);
  });

  it('no method leaves tensors behind', () => {
    const probs = tf.tensor1d([0.2, 0.7]);
    const x = tf.tensor1d([0, 1]);
    const d = new Bernoulli({ probs });
    const q = new Bernoulli({ logits: tf.tensor1d([1, -1]) }); // its tensors exist before the leak check starts
    expectMethodsDoNotLeak(d, x, q);
    tf.dispose([probs, x]);
  });
});
