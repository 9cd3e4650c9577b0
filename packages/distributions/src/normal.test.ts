import * as tf from '@tensorflow/tfjs-core';
import {
  Distribution,
  InvalidArgumentError,
  LOG_2PI,
  Normal,
  STANDARD_NORMAL_ENTROPY,
  UnsupportedMethodError,
  crossEntropy,
  hasClosedFormKl,
  klDivergence,
  klNormalNormal,
} from './index.js';
import { loadFixture, type NumericArray } from './test-support/fixtures.js';
import {
  PROBABILITY_TOLERANCE,
  REFERENCE_TOLERANCE,
  expectAllFinite,
  expectClose,
  expectGradientClose,
  expectNoTensorLeak,
  expectVarianceWithinStandardErrors,
  expectWithinStandardErrors,
  finiteDifferenceGradient,
  column,
} from './test-support/numeric-assertions.js';

interface NormalCase {
  name: string;
  params: { loc: number[]; scale: number[] };
  x: number[];
  logProb: number[];
  entropy: number[];
  mean: number[];
  variance: number[];
  cdf: number[] | null;
  logCdf: number[];
  grad: { logProb: { loc: number[]; scale: number[]; x: number[] }; entropy: { scale: number[] } };
}
interface NormalKlCase {
  name: string;
  p: { loc: number[]; scale: number[] };
  q: { loc: number[]; scale: number[] };
  kl: number[];
  grad: Record<'p.loc' | 'p.scale' | 'q.loc' | 'q.scale', number[]>;
}
const fixture = loadFixture<{ cases: NormalCase[]; kl: NormalKlCase[] }>('normal');

function withParams(c: NormalCase, body: (d: Normal, x: tf.Tensor) => void): void {
  tf.tidy(() => body(new Normal(tf.tensor1d(c.params.loc), tf.tensor1d(c.params.scale)), tf.tensor1d(c.x)));
}

describe('Normal against SciPy (float64) fixtures', () => {
  describe.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const where = (i: number): string => `(loc ${c.params.loc[i]}, scale ${c.params.scale[i]}, x ${c.x[i]})`;

    it('logProb, prob, entropy, mean, variance, stddev, cdf and logCdf', () => {
      withParams(c, (d, x) => {
        expectClose(d.logProb(x), c.logProb, REFERENCE_TOLERANCE, 'logProb', where);
        expectClose(d.entropy(), c.entropy, REFERENCE_TOLERANCE, 'entropy', where);
        expectClose(d.mean(), c.mean, REFERENCE_TOLERANCE, 'mean', where);
        expectClose(d.mode(), c.mean, REFERENCE_TOLERANCE, 'mode', where);
        expectClose(d.variance(), c.variance, REFERENCE_TOLERANCE, 'variance', where);
        expectClose(d.stddev(), c.params.scale, REFERENCE_TOLERANCE, 'stddev', where);
        expectClose(d.logCdf(x), c.logCdf, REFERENCE_TOLERANCE, 'logCdf', where);
        if (c.cdf !== null) expectClose(d.cdf(x), c.cdf, PROBABILITY_TOLERANCE, 'cdf', where);
        // prob = exp(logProb) amplifies logProb's absolute error, hence relative to exp of the reference.
        expectClose(d.prob(x), c.logProb.map(Math.exp), { rtol: 2e-5, atol: 1e-30 }, 'prob', where);
      });
    });

    it('Normal.fromLogVariance gives the same values from log σ² = 2 log σ', () => {
      tf.tidy(() => {
        const logVar = tf.tensor1d(c.params.scale.map((s) => 2 * Math.log(s)));
        const d = Normal.fromLogVariance(tf.tensor1d(c.params.loc), logVar, { validateArgs: false });
        // log σ² is rounded to float32 (relative 6e-8 of |2 log σ| ≤ 18.4, i.e. ≤ 1.1e-6 absolute in log σ),
        // so the scale itself is only that accurate: entropy stays within the reference tolerance, and
        // logProb within it plus z²·1.1e-6 (the z² term's sensitivity to log σ).
        expectClose(d.entropy(), c.entropy, { rtol: 1e-5, atol: 2e-6 }, 'entropy', where);
        const z2 = c.x.map((x, i) => ((x - (c.params.loc[i] as number)) / (c.params.scale[i] as number)) ** 2);
        const lp = Array.from(d.logProb(tf.tensor1d(c.x)).dataSync());
        lp.forEach((v, i) => {
          const e = c.logProb[i] as number;
          expect(Math.abs(v - e)).toBeLessThanOrEqual(1e-5 * Math.abs(e) + 2e-6 * (1 + (z2[i] as number)));
        });
        expectClose(d.logScale(), c.params.scale.map(Math.log), { rtol: 1e-6, atol: 2e-6 }, 'logScale', where);
      });
    });

    it('gradients of logProb (loc, scale, x) and entropy (scale) match float64 finite differences', () => {
      const loc = tf.tensor1d(c.params.loc);
      const scale = tf.tensor1d(c.params.scale);
      const x = tf.tensor1d(c.x);
      const [gLoc, gScale, gX] = tf.grads((l: tf.Tensor, s: tf.Tensor, v: tf.Tensor) =>
        tf.sum(new Normal(l, s, { validateArgs: false }).logProb(v)),
      )([loc, scale, x]);
      expectGradientClose(gLoc, c.grad.logProb.loc, 'd logProb / d loc');
      expectGradientClose(gScale, c.grad.logProb.scale, 'd logProb / d scale');
      expectGradientClose(gX, c.grad.logProb.x, 'd logProb / d x');
      const gEntropy = tf.grad((s: tf.Tensor) => tf.sum(new Normal(loc, s, { validateArgs: false }).entropy()))(scale);
      expectGradientClose(gEntropy, c.grad.entropy.scale, 'd entropy / d scale');
      tf.dispose([loc, scale, x, gLoc!, gScale!, gX!, gEntropy]);
    });

    it('returns finite values for every valid input (no NaN leaks)', () => {
      withParams(c, (d, x) => {
        for (const [label, t] of [
          ['logProb', d.logProb(x)],
          ['entropy', d.entropy()],
          ['logCdf', d.logCdf(x)],
          ['cdf', d.cdf(x)],
          ['rsample', d.rsample([4], 1)],
        ] as const) {
          expectAllFinite(t, label);
        }
      });
    });
  });

  describe.each(fixture.kl.map((c) => [c.name, c] as const))('KL(Normal ‖ Normal): %s', (_name, c) => {
    const where = (i: number): string =>
      `(p = N(${c.p.loc[i]}, ${c.p.scale[i]}²), q = N(${c.q.loc[i]}, ${c.q.scale[i]}²))`;
    const build = (v: Record<string, tf.Tensor>): [Normal, Normal] => [
      new Normal(v['p.loc']!, v['p.scale']!, { validateArgs: false }),
      new Normal(v['q.loc']!, v['q.scale']!, { validateArgs: false }),
    ];
    const keys = ['p.loc', 'p.scale', 'q.loc', 'q.scale'] as const;
    const tensors = (): tf.Tensor[] => [c.p.loc, c.p.scale, c.q.loc, c.q.scale].map((a) => tf.tensor1d(a));

    it('matches the closed form, through klDivergence and via log-variance parameters', () => {
      tf.tidy(() => {
        const [p, q] = build(Object.fromEntries(keys.map((k, i) => [k, tensors()[i]!])));
        expectClose(klDivergence(p, q), c.kl, REFERENCE_TOLERANCE, 'KL', where);
        expectClose(klNormalNormal(p, q), c.kl, REFERENCE_TOLERANCE, 'klNormalNormal', where);
        // crossEntropy(p, q) = H(p) + KL(p ‖ q)
        const h = Array.from(p.entropy().dataSync());
        expectClose(crossEntropy(p, q), c.kl.map((k, i) => k + (h[i] as number)), { rtol: 1e-5, atol: 2e-6 }, 'crossEntropy', where);
      });
    });

    it('gradients match float64 finite differences', () => {
      const inputs = tensors();
      const grads = tf.grads((...v: tf.Tensor[]) => {
        const [p, q] = build(Object.fromEntries(keys.map((k, i) => [k, v[i]!])));
        return tf.sum(klDivergence(p, q));
      })(inputs);
      keys.forEach((k, i) => expectGradientClose(grads[i], c.grad[k] as NumericArray, `d KL / d ${k}`));
      tf.dispose([...inputs, ...grads]);
    });
  });
});

describe('Normal by Monte Carlo (fixed seeds, 4 standard errors)', () => {
  // Scale 1e-4 sits at loc 1, not at a large loc: float32 samples of N(1e3, 1e-8) are quantised to
  // ulp(1e3) = 6e-5, which inflates the sample variance by ulp²/12 (3 %), a float32 limit, not a bug.
  const locs = [0, 3, -2, 1];
  const scales = [1, 0.01, 50, 1e-4];
  const n = 20000;

  it('sample mean, sample variance and −mean(logProb(samples)) match mean, variance and entropy', () => {
    tf.tidy(() => {
      const d = new Normal(tf.tensor1d(locs), tf.tensor1d(scales));
      const x = d.sample([n], 11);
      expect(x.shape).toEqual([n, 4]);
      const xs = x.dataSync();
      const negLogP = tf.neg(d.logProb(x)).dataSync();
      const mean = d.mean().dataSync();
      const variance = d.variance().dataSync();
      const entropy = d.entropy().dataSync();
      for (let j = 0; j < locs.length; j++) {
        expectWithinStandardErrors(column(xs, 4, j), mean[j] as number, `mean[${j}]`);
        expectVarianceWithinStandardErrors(column(xs, 4, j), variance[j] as number, `variance[${j}]`);
        expectWithinStandardErrors(column(negLogP, 4, j), entropy[j] as number, `entropy[${j}]`);
      }
    });
  });

  it('KL closed form matches its Monte-Carlo estimate, and klDivergence uses it only when asked', () => {
    tf.tidy(() => {
      const p = new Normal(tf.tensor1d([0, 1, -3]), tf.tensor1d([1, 0.3, 4]));
      const q = new Normal(tf.tensor1d([0.5, 0, -3]), tf.tensor1d([2, 0.25, 1]));
      const x = p.sample([n], 5);
      const logRatio = tf.sub(p.logProb(x), q.logProb(x)).dataSync();
      const kl = klDivergence(p, q).dataSync();
      for (let j = 0; j < 3; j++) expectWithinStandardErrors(column(logRatio, 3, j), kl[j] as number, `KL[${j}]`);
    });
  });

  it('the sample with a fixed seed is reproducible and different seeds differ', () => {
    tf.tidy(() => {
      const d = new Normal(0, 1);
      expect(Array.from(d.sample([5], 3).dataSync())).toEqual(Array.from(d.sample([5], 3).dataSync()));
      expect(Array.from(d.sample([5], 3).dataSync())).not.toEqual(Array.from(d.sample([5], 4).dataSync()));
    });
  });
});

describe('Normal gradients through rsample', () => {
  it('d/d loc and d/d scale of sum(rsample²) match float32 finite differences through tfjs', () => {
    const loc = tf.tensor1d([0.5, -1, 2]);
    const scale = tf.tensor1d([0.7, 1.3, 0.2]);
    const objective = (l: tf.Tensor, s: tf.Tensor): tf.Tensor =>
      tf.sum(tf.square(new Normal(l, s, { validateArgs: false }).rsample([6], 7)), 0);
    const [gLoc, gScale] = tf.grads((l: tf.Tensor, s: tf.Tensor) => tf.sum(objective(l, s)))([loc, scale]);
    const fdLoc = finiteDifferenceGradient((l) => objective(l, scale), loc);
    const fdScale = finiteDifferenceGradient((s) => objective(loc, s), scale);
    expectClose(gLoc!, Array.from(fdLoc), { rtol: 1e-3, atol: 1e-4 }, 'd/d loc');
    expectClose(gScale!, Array.from(fdScale), { rtol: 1e-3, atol: 1e-4 }, 'd/d scale');
    tf.dispose([loc, scale, gLoc!, gScale!]);
  });

  it('sample blocks gradients while rsample passes them', () => {
    const loc = tf.scalar(0.5);
    const g = tf.grad((l: tf.Tensor) => tf.sum(new Normal(l, 1).sample([3], 1)))(loc);
    expect(Array.from(g.dataSync())).toEqual([0]);
    tf.dispose([loc, g]);
  });

  it('passes gradients through rsample of a log-variance normal', () => {
    const loc = tf.tensor1d([0.5, -1]);
    const logVar = tf.tensor1d([0.1, -0.3]);
    const f = (l: tf.Tensor, v: tf.Tensor): tf.Tensor => tf.sum(tf.square(Normal.fromLogVariance(l, v, { validateArgs: false }).rsample([3], 7)), 0);
    const [gl, gv] = tf.grads((l: tf.Tensor, v: tf.Tensor) => tf.sum(f(l, v)))([loc, logVar]);
    expectClose(gl!, Array.from(finiteDifferenceGradient((l) => f(l, logVar), loc)), { rtol: 1e-3, atol: 1e-4 }, 'd/d loc');
    expectClose(gv!, Array.from(finiteDifferenceGradient((v) => f(loc, v), logVar)), { rtol: 1e-3, atol: 1e-4 }, 'd/d logVar');
    tf.dispose([loc, logVar, gl!, gv!]);
  });
});

describe('Normal shapes, constants and errors', () => {
  it('has the entropy of a standard normal at scale 1, and exports the constants it uses', () => {
    const h = tf.tidy(() => new Normal(0, 1).entropy().arraySync());
    expect(h).toBeCloseTo(STANDARD_NORMAL_ENTROPY, 6);
    expect(LOG_2PI).toBeCloseTo(1.8378770664093453, 14);
  });

  it('broadcasts loc and scale and samples [...sampleShape, ...batchShape]', () => {
    tf.tidy(() => {
      const d = new Normal(tf.tensor2d([[0], [1]]), tf.tensor1d([1, 2, 3]));
      expect(d.batchShape).toEqual([2, 3]);
      expect(d.eventShape).toEqual([]);
      expect(d.rsample([4, 5], 0).shape).toEqual([4, 5, 2, 3]);
      expect(d.entropy().shape).toEqual([2, 3]);
      expect(d.mean().shape).toEqual([2, 3]);
      expect(d.logProb(tf.zeros([7, 2, 3])).shape).toEqual([7, 2, 3]);
    });
  });

  it('gives zero KL between identical normals', () => {
    const kl = tf.tidy(() => klDivergence(new Normal(tf.tensor1d([1, 2]), tf.tensor1d([0.5, 3])), new Normal(tf.tensor1d([1, 2]), tf.tensor1d([0.5, 3]))).arraySync());
    expect(kl).toEqual([0, 0]);
  });

  it('rejects bad parameters with errors naming the argument, the expectation and the value', () => {
    expect(() => new Normal(0, tf.tensor1d([1, -2]))).toThrow(/scale: expected finite values > 0, got -2 at flat index 1/);
    expect(() => new Normal(0, 0)).toThrow(/scale: expected finite values > 0, got 0/);
    expect(() => new Normal(NaN, 1)).toThrow(/loc: expected finite values, got NaN/);
    expect(() => new Normal(0, Infinity)).toThrow(InvalidArgumentError);
    expect(() => new Normal(tf.zeros([2]), tf.ones([3]))).toThrow(/loc\/scale: expected shapes that broadcast, got \[2\] and \[3\]/);
    expect(() => new Normal(tf.zeros([2], 'int32'), 1)).toThrow(/loc: expected dtype float32, got dtype int32/);
    expect(() => Normal.fromLogVariance(0, NaN)).toThrow(/logVariance: expected finite values/);
    tf.tidy(() => {
      const d = new Normal(0, 1);
      expect(() => d.sample([-1], 0)).toThrow(/sampleShape: expected an array of non-negative integers/);
      expect(() => d.rsample([2], 0.5)).toThrow(/seed: expected a safe integer \(\|seed\| ≤ 2\^53 − 1\), got 0.5/);
    });
  });

  it('validateArgs: false skips the checks (for training loops) instead of reading the tensors back', () => {
    expect(() =>
      tf.tidy(() => {
        new Normal(0, -1, { validateArgs: false });
      }),
    ).not.toThrow();
  });

  it('klDivergence without a closed form is an error unless Monte Carlo is asked for explicitly', () => {
    // A distribution with no registered KL: a standard normal written by hand.
    class HandWrittenStandardNormal extends Distribution {
      readonly batchShape: number[] = [];
      readonly eventShape: number[] = [];
      readonly hasRsample = false;
      logProb(x: tf.Tensor): tf.Tensor {
        return tf.tidy(() => tf.sub(tf.mul(tf.square(x), -0.5), 0.5 * LOG_2PI));
      }
      entropy(): tf.Tensor {
        return tf.scalar(STANDARD_NORMAL_ENTROPY);
      }
      mean(): tf.Tensor {
        return tf.scalar(0);
      }
      variance(): tf.Tensor {
        return tf.scalar(1);
      }
      protected override sampleImpl(sampleShape: number[], seed: number): tf.Tensor {
        return tf.randomNormal(sampleShape, 0, 1, 'float32', seed);
      }
    }
    class ShiftedNormal extends Normal {}
    tf.tidy(() => {
      const p = new HandWrittenStandardNormal();
      const q = new Normal(0.5, 2);
      expect(hasClosedFormKl(p, q)).toBe(false);
      expect(() => klDivergence(p, q)).toThrow(UnsupportedMethodError);
      expect(() => klDivergence(p, q)).toThrow(/no closed form is registered.*monteCarloSamples/);
      expect(() => crossEntropy(p, q)).toThrow(UnsupportedMethodError);
      expect(() => klDivergence(p, q, { monteCarloSamples: 10 })).toThrow(/seed: expected a safe integer/);
      expect(() => klDivergence(p, q, { monteCarloSamples: 0, seed: 1 })).toThrow(/monteCarloSamples: expected a positive integer, got 0/);
      // Opted in: the estimate agrees with the closed form of the equal Normal pair within 4 standard errors.
      const estimate = klDivergence(p, q, { monteCarloSamples: 20000, seed: 3 }).arraySync() as number;
      const exact = klDivergence(new Normal(0, 1), q).arraySync() as number;
      const x = p.sample([20000], 3);
      const ratio = tf.sub(p.logProb(x), q.logProb(x)).dataSync();
      expect(estimate).toBeCloseTo(Array.from(ratio).reduce((a, b) => a + b, 0) / ratio.length, 4);
      expectWithinStandardErrors(ratio, exact, 'MC KL');
      // Subclasses inherit the registered closed form of their parents.
      expect(hasClosedFormKl(new ShiftedNormal(0, 1), q)).toBe(true);
      expect(() => p.rsample([1], 0)).toThrow(/HandWrittenStandardNormal.rsample is not available/);
      expect(() => p.cdf(tf.scalar(0))).toThrow(UnsupportedMethodError);
    });
  });
});

describe('Normal memory discipline', () => {
  it('no method leaves intermediate tensors behind', () => {
    const loc = tf.tensor1d([0, 1]);
    const scale = tf.tensor1d([1, 2]);
    const q = new Normal(tf.tensor1d([1, 1]), tf.tensor1d([3, 0.5]));
    const x = tf.tensor2d([[0.1, 0.2], [0.3, 0.4]]);
    const d = new Normal(loc, scale);
    expectNoTensorLeak(() => {
      const results = [
        d.logProb(x), d.prob(x), d.entropy(), d.mean(), d.mode(), d.variance(), d.stddev(), d.cdf(x), d.logCdf(x),
        d.sample([3], 1), d.rsample([3], 1), klDivergence(d, q), crossEntropy(d, q),
        klDivergence(d, q, { monteCarloSamples: 10, seed: 2 }),
      ];
      tf.dispose(results);
    });
    expectNoTensorLeak(() => {
      tf.tidy(() => {
        Normal.fromLogVariance(loc, scale).entropy();
      });
    });
    tf.dispose([loc, scale, x, q.loc, q.scale]);
  });

  it('logProb uses −½z² − log σ − ½ log 2π (documented formula)', () => {
    const v = tf.tidy(() => new Normal(1, 2).logProb(tf.scalar(3)).arraySync() as number);
    expect(v).toBeCloseTo(-0.5 - Math.log(2) - 0.5 * LOG_2PI, 6);
  });
});
