// Property tests (fast-check, fixed seed, bounded runs): random valid parameters must give finite logProb,
// entropy, moments and KL, KL ≥ 0 up to rounding, KL(p ‖ p) = 0 exactly where the closed form makes it so, and
// reproducible draws for every safe integer seed. Runs on cpu and (jest.wasm.config.cjs) on wasm.
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import {
  Bernoulli,
  Beta,
  Categorical,
  ContinuousBernoulli,
  Deterministic,
  Dirichlet,
  Gamma,
  HypersphericalUniform,
  InvalidArgumentError,
  Kumaraswamy,
  Laplace,
  LowRankMultivariateNormal,
  MAX_SAMPLE_VALUES,
  MultivariateNormalDiag,
  Normal,
  OneHotCategorical,
  Poisson,
  RelaxedBernoulli,
  UnsupportedMethodError,
  VonMisesFisher,
  klDivergence,
} from './index.js';
import type { Distribution } from './distribution.js';

// Bounded so the suite stays fast on CI; raise FUZZ_RUNS locally for a deeper search.
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 25);
const SEED = Number(process.env['FUZZ_SEED'] ?? 14);

/** A float32 drawn log-uniformly from [low, high]. */
function logUniform(low: number, high: number): fc.Arbitrary<number> {
  return fc.double({ min: Math.log(low), max: Math.log(high), noNaN: true }).map((v) => Math.fround(Math.exp(v)));
}
const location = fc.double({ min: -1e3, max: 1e3, noNaN: true }).map(Math.fround);

function scalar(t: tf.Tensor): number {
  return t.dataSync()[0] as number;
}

function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

/** Everything a distribution reports is finite; its KL to `q` is ≥ −tolerance and KL(p ‖ p) is 0 within `selfKl`. */
function checkFamily(p: Distribution, q: Distribution, options: { klTolerance: number; selfKl: number; label: string }): void {
  tf.tidy(() => {
    const where = `${options.label}`;
    for (const [name, t] of [
      ['entropy', p.entropy()],
      ['mean', p.mean()],
      ['variance', p.variance()],
      // A one-hot categorical's mean (the probability vector) is outside its support, where logProb is −∞: its mode is not.
      ['logProb(mean, or mode off the support)', p.logProb(p instanceof OneHotCategorical ? p.mode() : p.mean())],
      ['logProb(sample)', p.logProb(p.sample([2], 3))],
    ] as const) {
      for (const v of values(t)) if (!Number.isFinite(v)) throw new Error(`${name} = ${v} for ${where}`);
    }
    for (const v of values(p.variance())) if (!(v >= 0)) throw new Error(`variance ${v} < 0 for ${where}`);
    const kl = scalar(tf.sum(klDivergence(p, q)));
    if (!Number.isFinite(kl) || kl < -options.klTolerance) throw new Error(`KL(p ‖ q) = ${kl} for ${where}`);
    const self = scalar(tf.sum(klDivergence(p, p)));
    if (!(Math.abs(self) <= options.selfKl)) throw new Error(`KL(p ‖ p) = ${self} for ${where}`);
  });
}

describe('distributions: random valid parameters (fast-check)', () => {
  it('Normal', () => {
    fc.assert(
      fc.property(location, logUniform(1e-3, 1e3), location, logUniform(1e-3, 1e3), (m1, s1, m2, s2) => {
        checkFamily(new Normal(m1, s1), new Normal(m2, s2), { klTolerance: 1e-6, selfKl: 0, label: `Normal(${m1}, ${s1}) ‖ Normal(${m2}, ${s2})` });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('Gamma: KL(p ‖ q) ≥ 0 also for p ≈ q at large α, KL(p ‖ p) = 0 exactly', () => {
    const nearby = fc.tuple(logUniform(1e-2, 1e4), logUniform(1e-3, 1e3), fc.double({ min: -0.05, max: 0.05, noNaN: true }), fc.double({ min: -0.05, max: 0.05, noNaN: true }));
    fc.assert(
      fc.property(nearby, fc.boolean(), ([a, b, da, db], far) => {
        const a2 = Math.fround(far ? a * Math.exp(40 * da) : a * (1 + da));
        const b2 = Math.fround(far ? b * Math.exp(40 * db) : b * (1 + db));
        checkFamily(new Gamma(a, b), new Gamma(a2, b2), { klTolerance: 0, selfKl: 0, label: `Gamma(${a}, ${b}) ‖ Gamma(${a2}, ${b2})` });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('Beta and Kumaraswamy: moments inside (0, 1) with 0 < Var ≤ μ(1 − μ)', () => {
    fc.assert(
      fc.property(logUniform(0.05, 1e3), logUniform(0.05, 1e3), logUniform(0.05, 1e3), logUniform(0.05, 1e3), (a, b, c, d) => {
        checkFamily(new Beta(a, b), new Beta(c, d), { klTolerance: 1e-5, selfKl: 1e-6, label: `Beta(${a}, ${b}) ‖ Beta(${c}, ${d})` });
        tf.tidy(() => {
          const k = new Kumaraswamy(a, b);
          const mean = scalar(k.mean());
          const variance = scalar(k.variance());
          const entropy = scalar(k.entropy());
          const logProbOfDraws = values(k.logProb(k.sample([4], 5)));
          if (!logProbOfDraws.every(Number.isFinite)) throw new Error(`Kumaraswamy(${a}, ${b}): logProb of draws ${JSON.stringify(logProbOfDraws)}`);
          const label = `Kumaraswamy(${a}, ${b}): mean ${mean}, variance ${variance}, entropy ${entropy}`;
          // The variance underflows float32 (to 0) only where the squared mean is below 1e-37 (a = 0.1, b = 1e3: mean 3e-23).
          if (!(mean > 0 && mean < 1 && variance >= 0 && (variance > 0 || mean * mean < 1e-37) && variance <= mean * (1 - mean) * (1 + 1e-5) && Number.isFinite(entropy))) throw new Error(label);
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('Laplace', () => {
    fc.assert(
      fc.property(location, logUniform(1e-3, 1e3), location, logUniform(1e-3, 1e3), (m1, s1, m2, s2) => {
        checkFamily(new Laplace(m1, s1), new Laplace(m2, s2), { klTolerance: 1e-6, selfKl: 1e-7, label: `Laplace(${m1}, ${s1}) ‖ Laplace(${m2}, ${s2})` });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('LowRankMultivariateNormal: condition numbers up to ~1e6, KL(p ‖ p) = 0 exactly', () => {
    const shape = fc.record({ d: fc.integer({ min: 1, max: 5 }), r: fc.integer({ min: 1, max: 3 }) });
    const member = (d: number, r: number): fc.Arbitrary<{ loc: number[]; factor: number[]; diag: number[] }> =>
      fc.record({
        loc: fc.array(location, { minLength: d, maxLength: d }),
        factor: fc.tuple(logUniform(1e-2, 1e3), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: d * r, maxLength: d * r })).map(([s, w]) => w.map((v) => Math.fround(s * v))),
        diag: fc.array(logUniform(1e-2, 10), { minLength: d, maxLength: d }),
      });
    fc.assert(
      fc.property(
        shape.chain(({ d, r }) => fc.tuple(fc.constant({ d, r }), member(d, r), member(d, r))),
        ([{ d, r }, p, q]) => {
          const make = (m: { loc: number[]; factor: number[]; diag: number[] }): LowRankMultivariateNormal =>
            new LowRankMultivariateNormal(tf.tensor1d(m.loc), tf.tensor2d(m.factor, [d, r]), tf.tensor1d(m.diag));
          tf.tidy(() => checkFamily(make(p), make(q), { klTolerance: 1e-3, selfKl: 0, label: `LowRank d ${d} r ${r} ${JSON.stringify({ p, q })}` }));
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('OneHotCategorical from logits: 0 ≤ variance ≤ ¼, and > 0 wherever p < 1 in exact arithmetic', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -60, max: 60, noNaN: true }).map(Math.fround), { minLength: 2, maxLength: 6 }), (logits) => {
        tf.tidy(() => {
          const d = new OneHotCategorical({ logits: tf.tensor1d(logits) });
          const variance = values(d.variance());
          // Every category has p < 1 here (at least two finite logits); its variance is 0 only by underflow below 1e-38.
          for (const v of variance) if (!(v >= 0 && v <= 0.25 + 1e-7 && Number.isFinite(v))) throw new Error(`variance ${v} for logits ${JSON.stringify(logits)}`);
          const spread = Math.max(...logits) - Math.min(...logits);
          if (spread < 80 && variance.some((v) => v === 0)) throw new Error(`variance 0 for logits ${JSON.stringify(logits)}`);
          checkFamily(d, new OneHotCategorical({ logits: tf.tensor1d(logits.map((v) => -v)) }), { klTolerance: 1e-5, selfKl: 1e-6, label: `OneHot ${JSON.stringify(logits)}` });
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('every safe integer seed gives the same draws twice (Normal, Gamma, OneHotCategorical)', () => {
    const seeds = fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.constantFrom(0, -1, 2 ** 32, -(2 ** 32), Number.MAX_SAFE_INTEGER));
    fc.assert(
      fc.property(seeds, (seed) => {
        tf.tidy(() => {
          for (const d of [new Normal(0, 1), new Gamma(0.7, 2), new OneHotCategorical({ logits: tf.tensor1d([0, 1, 2]) })]) {
            const first = values(d.sample([4], seed));
            const again = values(d.sample([4], seed));
            if (JSON.stringify(first) !== JSON.stringify(again)) throw new Error(`seed ${seed}: ${JSON.stringify(first)} then ${JSON.stringify(again)}`);
          }
        });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

/** Anything a caller might pass: valid and invalid numbers, non-numbers, arrays, and tensors of several shapes. */
const anyParameter: fc.Arbitrary<{ label: string; make: () => unknown }> = fc.oneof(
  fc.constantFrom(0.5, 1, 2, 30, -1, 0, -0, 1e-30, 1e30, 3.4e38, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY).map((v) => ({ label: String(v), make: () => v })),
  fc.constantFrom<unknown>(undefined, null, 'a', '1', true, {}, [], [1, 2], [[1], [2]], [Number.NaN]).map((v) => ({ label: JSON.stringify(v) ?? 'undefined', make: () => v })),
  fc.tuple(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }), fc.constantFrom(0.3, 1, -1, 0, Number.NaN, 1e38)).map(([shape, fill]) => ({ label: `fill([${shape}], ${fill})`, make: () => tf.fill(shape, fill) })),
  fc.constantFrom('int32', 'bool').map((dtype) => ({ label: `ones([2], ${dtype})`, make: () => tf.ones([2], dtype as 'int32' | 'bool') })),
);
const families: [string, (p: unknown[]) => unknown][] = [
  ['Normal', (p) => new Normal(p[0] as number, p[1] as number)],
  ['Gamma', (p) => new Gamma(p[0] as number, p[1] as number)],
  ['Beta', (p) => new Beta(p[0] as number, p[1] as number)],
  ['Kumaraswamy', (p) => new Kumaraswamy(p[0] as number, p[1] as number)],
  ['Laplace', (p) => new Laplace(p[0] as number, p[1] as number)],
  ['Poisson', (p) => new Poisson(p[0] as number)],
  ['Deterministic', (p) => new Deterministic(p[0] as number)],
  ['Dirichlet', (p) => new Dirichlet(p[0] as number)],
  ['MultivariateNormalDiag', (p) => new MultivariateNormalDiag(p[0] as number, p[1] as number)],
  ['Bernoulli(logits)', (p) => new Bernoulli({ logits: p[0] as number })],
  ['Bernoulli(probs)', (p) => new Bernoulli({ probs: p[0] as number })],
  ['ContinuousBernoulli', (p) => new ContinuousBernoulli({ probs: p[0] as number })],
  ['Categorical', (p) => new Categorical({ logits: p[0] as number })],
  ['OneHotCategorical', (p) => new OneHotCategorical({ probs: p[0] as number })],
  ['RelaxedBernoulli', (p) => new RelaxedBernoulli(p[0] as number, { logits: p[1] as number })],
  ['VonMisesFisher', (p) => new VonMisesFisher(p[0] as tf.Tensor, p[1] as number)],
  ['HypersphericalUniform', (p) => new HypersphericalUniform(p[0] as number, p[1] as number[])],
  ['LowRankMultivariateNormal', (p) => new LowRankMultivariateNormal(p[0] as tf.Tensor, p[1] as tf.Tensor, p[2] as tf.Tensor)],
];

/** One clear error: the library's own error classes, naming an argument; never a TypeError or RangeError from inside. */
function expectClearError(error: unknown, where: string): void {
  if (error instanceof InvalidArgumentError) {
    if (!/^[A-Za-z][\w./[\]]*: expected /.test(error.message)) throw new Error(`${where}: message names no argument: ${error.message}`);
    return;
  }
  if (error instanceof UnsupportedMethodError) return;
  throw new Error(`${where}: unclear error ${String(error)}`, { cause: error });
}

describe('distributions: invalid or odd input gives one clear error (fast-check)', () => {
  it('constructors, then entropy, moments, logProb and sample of what was accepted', () => {
    fc.assert(
      fc.property(fc.constantFrom(...families), fc.array(anyParameter, { minLength: 3, maxLength: 3 }), fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom(-1, 2.5, 1e9, 2 ** 29)), { maxLength: 3 }), fc.oneof(fc.integer(), fc.constantFrom(0.5, 2 ** 60, Number.NaN)), ([name, make], parameters, sampleShape, seed) => {
        tf.tidy(() => {
          const where = `${name}(${parameters.map((p) => p.label).join(', ')})`;
          let d: Distribution;
          try {
            d = make(parameters.map((p) => p.make())) as Distribution;
          } catch (error) {
            expectClearError(error, where);
            return;
          }
          for (const method of ['entropy', 'mean', 'variance'] as const) {
            try {
              for (const v of values(d[method]())) if (Number.isNaN(v)) throw new Error(`${where}.${method}() holds NaN`);
            } catch (error) {
              expectClearError(error, `${where}.${method}`);
            }
          }
          try {
            const draw = d.sample(sampleShape, seed);
            expect(draw.shape).toEqual([...sampleShape, ...d.batchShape, ...d.eventShape]);
            if (draw.size > 0 && draw.size < 1e4) for (const v of values(d.logProb(draw))) if (Number.isNaN(v)) throw new Error(`${where}.logProb(sample) holds NaN`);
          } catch (error) {
            expectClearError(error, `${where}.sample([${sampleShape.join(', ')}], ${seed})`);
          }
        });
      }),
      { seed: SEED, numRuns: RUNS * 12 },
    );
  });

  it('a draw too large to allocate is refused before allocating, naming sampleShape', () => {
    tf.tidy(() => {
      const d = new Normal(tf.zeros([4]), 1);
      expect(() => d.sample([MAX_SAMPLE_VALUES / 4 + 1], 1)).toThrow(/^sampleShape: expected a draw of at most 268435456 values/);
      expect(() => d.rsample([1e9, 1e9], 1)).toThrow(InvalidArgumentError);
      expect(() => new HypersphericalUniform(3, [1e9, 1e9])).toThrow(/^batchShape: expected a draw of at most/);
      // Found by the fuzzer: the inverse-CDF table of Poisson(1e30) failed with "Invalid typed array length".
      expect(() => new Poisson(1e30).sample([], 1)).toThrow(UnsupportedMethodError);
      expect(() => new Poisson(1e30).sample([], 1)).toThrow(/Poisson\.sample is not available: the inverse-CDF sampler tabulates/);
      expect(d.sample([2, 3], 1).shape).toEqual([2, 3, 4]);
    });
  });
});
