import * as tf from '@tensorflow/tfjs-core';
import {
  Bernoulli,
  Beta,
  Categorical,
  ContinuousBernoulli,
  Deterministic,
  Dirichlet,
  type Distribution,
  Gamma,
  HypersphericalUniform,
  Independent,
  Kumaraswamy,
  Laplace,
  LowRankMultivariateNormal,
  MixtureSameFamily,
  MultivariateNormalDiag,
  Normal,
  OneHotCategorical,
  Poisson,
  RelaxedBernoulli,
  RelaxedOneHotCategorical,
  UnsupportedMethodError,
  VonMisesFisher,
} from './index.js';
import { loadFixture } from './test-support/fixtures.js';

// The support rule (README "Support"): logProb −∞ outside the support (prob 0), cdf 0 below / 1 above it, the
// density's limit on a closed support's boundary (SciPy's values), NaN only for NaN input, and no NaN gradient
// wherever the value is finite.

type Encoded = number | 'inf' | '-inf';
interface SupportCase {
  distribution: string;
  params: Record<string, number | number[]>;
  x: Encoded[];
  logProb: Encoded[];
  prob: Encoded[];
  cdf?: Encoded[];
  /** Event size K of a multivariate family (x holds one point per K values). */
  eventSize?: number;
}
const decode = (v: Encoded): number => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);
const fixture = loadFixture<{ cases: SupportCase[] }>('support');

type Make = (params: Record<string, tf.Tensor>) => Distribution;
const makers: Record<string, Make> = {
  Gamma: (p) => new Gamma(p.concentration!, p.rate!),
  Beta: (p) => new Beta(p.concentration1!, p.concentration0!),
  Kumaraswamy: (p) => new Kumaraswamy(p.concentration1!, p.concentration0!),
  Poisson: (p) => new Poisson(p.rate!),
  Bernoulli: (p) => new Bernoulli({ probs: p.probs! }),
  Categorical: (p) => new Categorical({ probs: p.probs! }),
  Dirichlet: (p) => new Dirichlet(p.concentration!),
};

function expectValues(actual: tf.Tensor, expected: number[], label: string, x: number[], k = 1): void {
  const got = Array.from(actual.dataSync());
  expected.forEach((e, i) => {
    const where = `${label} at x = ${x.slice(i * k, (i + 1) * k).join(', ')}: got ${got[i]}, expected ${e}`;
    if (!Number.isFinite(e)) {
      if (got[i] !== e) throw new Error(where);
    } else if (!(Math.abs((got[i] as number) - e) <= 1e-6 + 1e-5 * Math.abs(e))) {
      throw new Error(where);
    }
  });
}

describe.each(fixture.cases.map((c) => [`${c.distribution} ${JSON.stringify(c.params)}`, c] as const))(
  'support and boundary against SciPy: %s',
  (_name, c) => {
    const x = c.x.map(decode);
    const k = c.eventSize ?? 1;
    const points = (values: number[]): tf.Tensor => (c.eventSize === undefined ? tf.tensor1d(values) : tf.tensor2d(values, [values.length / k, k]));
    const paramTensors = (): Record<string, tf.Tensor> =>
      Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, Array.isArray(v) ? tf.tensor1d(v) : tf.scalar(v)]));

    it('logProb, prob and cdf', () => {
      tf.tidy(() => {
        const d = makers[c.distribution]!(paramTensors());
        const value = points(x);
        expectValues(d.logProb(value), c.logProb.map(decode), 'logProb', x, k);
        expectValues(d.prob(value), c.prob.map(decode), 'prob', x, k);
        if (c.cdf === undefined) return;
        let cdf: tf.Tensor;
        try {
          cdf = d.cdf(value);
        } catch (error) {
          if (error instanceof UnsupportedMethodError) return;
          throw error;
        }
        expectValues(cdf, c.cdf.map(decode), 'cdf', x, k);
      });
    });

    it('gradients to the parameters and to x are never NaN where logProb is finite', () => {
      const finite = x.filter((_, i) => Number.isFinite(decode(c.logProb[Math.floor(i / k)]!)));
      if (finite.length === 0) return;
      const names = Object.keys(c.params);
      tf.tidy(() => {
        const params = paramTensors();
        const inputs = [...names.map((n) => params[n]!), points(finite)];
        const grads = tf.grads((...args: tf.Tensor[]) => {
          const d = makers[c.distribution]!(Object.fromEntries(names.map((n, i) => [n, args[i]!])));
          return tf.sum(d.logProb(args[args.length - 1]!));
        })(inputs);
        grads.forEach((g, i) => {
          const values = Array.from(g.dataSync());
          if (values.some(Number.isNaN)) throw new Error(`NaN gradient to ${names[i] ?? 'x'}: ${values.join(', ')} at x = ${finite.join(', ')}`);
        });
      });
    });
  },
);

/** Each case: a distribution, values, and the expected logProb per value (−∞ / finite / NaN). */
describe('support rule where SciPy has no reference', () => {
  const expectKinds = (lp: tf.Tensor, kinds: ('-inf' | 'finite' | 'nan' | 'inf')[], label: string): void => {
    const values = Array.from(lp.dataSync());
    const kindOf = (v: number): string => (Number.isNaN(v) ? 'nan' : v === -Infinity ? '-inf' : v === Infinity ? 'inf' : 'finite');
    expect(values.map(kindOf)).toEqual(kinds);
    void label;
  };

  it('±∞ inputs of the univariate families: −∞ (the limit of the density), cdf 0 and 1; NaN gives NaN', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([-Infinity, Infinity, NaN]);
      expectKinds(new Gamma(2, 1).logProb(x), ['-inf', '-inf', 'nan'], 'Gamma');
      expect(Array.from(new Gamma(20, 1).cdf(x).dataSync())).toEqual([0, 1, NaN]);
      expectKinds(new Beta(2, 3).logProb(x), ['-inf', '-inf', 'nan'], 'Beta');
      expectKinds(new Kumaraswamy(2, 3).logProb(x), ['-inf', '-inf', 'nan'], 'Kumaraswamy');
      expect(Array.from(new Kumaraswamy(2, 3).cdf(x).dataSync())).toEqual([0, 1, NaN]);
      expectKinds(new Poisson(3).logProb(x), ['-inf', '-inf', 'nan'], 'Poisson');
      expectKinds(new Normal(0, 1).logProb(x), ['-inf', '-inf', 'nan'], 'Normal');
      expectKinds(new Laplace(0, 1).logProb(x), ['-inf', '-inf', 'nan'], 'Laplace');
      expectKinds(new Bernoulli({ probs: 0.3 }).logProb(x), ['-inf', '-inf', 'nan'], 'Bernoulli');
      expectKinds(new ContinuousBernoulli({ probs: 0.3 }).logProb(tf.tensor1d([-0.1, 0, 1, 1.1, NaN])), ['-inf', 'finite', 'finite', '-inf', 'nan'], 'CB');
      expectKinds(new Categorical({ probs: tf.tensor1d([0.5, 0.5]) }).logProb(tf.tensor1d([NaN, -Infinity, Infinity, 1])), ['nan', '-inf', '-inf', 'finite'], 'Categorical');
      expectKinds(new Deterministic(1).logProb(tf.tensor1d([1, 2, NaN])), ['finite', '-inf', 'nan'], 'Deterministic');
    });
  });

  it('the multivariate normals at infinity: −∞; the normal cdf at ±∞: 0 and 1 (log-cdf −∞ and 0)', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([[Infinity, 0], [-Infinity, 1], [NaN, 0], [1, 2]]);
      expectKinds(new LowRankMultivariateNormal(tf.zeros([2]), tf.ones([2, 1]), tf.ones([2])).logProb(x), ['-inf', '-inf', 'nan', 'finite'], 'low rank');
      expectKinds(new MultivariateNormalDiag(tf.zeros([2]), tf.ones([2])).logProb(x), ['-inf', '-inf', 'nan', 'finite'], 'diagonal');
      const normal = new Normal(0, 1);
      expect(Array.from(normal.cdf(tf.tensor1d([-Infinity, Infinity])).dataSync())).toEqual([0, 1]);
      expect(Array.from(normal.logCdf(tf.tensor1d([-Infinity, Infinity])).dataSync())).toEqual([-Infinity, 0]);
    });
  });

  it('Gamma at 0 for large α (Loader branch) and where βx underflows: the textbook limit, not NaN', () => {
    tf.tidy(() => {
      expectKinds(new Gamma(tf.tensor1d([20, 1, 0.5]), 1).logProb(tf.zeros([3])), ['-inf', 'finite', 'inf'], 'x = 0');
      // β·x = 1e-30 · 1e-30 rounds to 0 in float32: log p = α log β + (α − 1) log x − βx − lnΓ(α) is finite for α = 2.
      const lp = new Gamma(2, 1e-30).logProb(tf.scalar(1e-30)).dataSync()[0] as number;
      expect(lp).toBeCloseTo(2 * Math.log(1e-30) + Math.log(1e-30), 0);
    });
  });

  it('Dirichlet: −∞ off the simplex, the density limit on its faces, finite gradients there', () => {
    tf.tidy(() => {
      const d = new Dirichlet(tf.tensor2d([[0.5, 2, 1], [1, 1, 3]]));
      const x = tf.tensor3d([
        [[0.2, 0.3, 0.5], [0.2, 0.3, 0.5]],
        [[-0.1, 0.6, 0.5], [0.5, 0.6, 0.5]],
        [[0, 0.5, 0.5], [0, 0.5, 0.5]],
        [[0.5, 0, 0.5], [0.5, 0.5, 0]],
      ]);
      expectKinds(d.logProb(x), ['finite', 'finite', '-inf', '-inf', 'inf', 'finite', '-inf', '-inf'], 'Dirichlet');
      const g = tf.grad((alpha: tf.Tensor) => tf.sum(new Dirichlet(alpha, { validateArgs: false }).logProb(tf.tensor1d([0, 0.5, 0.5]))))(tf.tensor1d([1, 1, 3]));
      expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    });
  });

  it('OneHotCategorical: −∞ unless the value is one-hot', () => {
    tf.tidy(() => {
      const d = new OneHotCategorical({ probs: tf.tensor1d([0.2, 0.8]) });
      expectKinds(d.logProb(tf.tensor2d([[0, 1], [1, 1], [0.5, 0.5], [-1, 2], [0, 0], [NaN, 1]])), ['finite', '-inf', '-inf', '-inf', '-inf', 'nan'], 'OneHot');
    });
  });

  it('Concrete distributions: the open support, −∞ at and beyond its ends; cdf 0 and 1 there', () => {
    tf.tidy(() => {
      const rb = new RelaxedBernoulli(0.5, { logits: 0.3 });
      expectKinds(rb.logProb(tf.tensor1d([-0.5, 0, 0.4, 1, 2, NaN])), ['-inf', '-inf', 'finite', '-inf', '-inf', 'nan'], 'RelaxedBernoulli');
      expect(Array.from(rb.cdf(tf.tensor1d([-1, 0, 1, 2])).dataSync())).toEqual([0, 0, 1, 1]);
      const ro = new RelaxedOneHotCategorical(0.5, { probs: tf.tensor1d([0.2, 0.3, 0.5]) });
      expectKinds(ro.logProb(tf.tensor2d([[0.2, 0.3, 0.5], [0, 0.5, 0.5], [0.2, 0.3, 0.6], [-0.2, 0.7, 0.5]])), ['finite', '-inf', '-inf', '-inf'], 'RelaxedOneHot');
      const g = tf.grad((y: tf.Tensor) => tf.sum(rb.logProb(y)))(tf.tensor1d([0, 0.4, 1]));
      expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    });
  });

  it('sphere distributions: −∞ off the unit sphere', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([[1, 0], [0.6, 0.8], [2, 0], [0, 0]]);
      expectKinds(new VonMisesFisher(tf.tensor1d([1, 0]), 2).logProb(x), ['finite', 'finite', '-inf', '-inf'], 'vMF');
      expectKinds(new HypersphericalUniform(2).logProb(x), ['finite', 'finite', '-inf', '-inf'], 'uniform');
    });
  });

  it('composites inherit the rule: Independent sums to −∞, a mixture of Gammas is −∞ below 0 with cdf 0', () => {
    tf.tidy(() => {
      const ind = new Independent(new Gamma(tf.tensor1d([2, 3]), 1));
      expectKinds(ind.logProb(tf.tensor2d([[1, 1], [1, -1]])), ['finite', '-inf'], 'Independent');
      const mixture = new MixtureSameFamily(new Categorical({ probs: tf.tensor1d([0.4, 0.6]) }), new Gamma(tf.tensor1d([0.5, 3]), 1));
      expectKinds(mixture.logProb(tf.tensor1d([-1, 0, 1])), ['-inf', 'inf', 'finite'], 'mixture');
      expect(Array.from(mixture.cdf(tf.tensor1d([-1])).dataSync())).toEqual([0]);
    });
  });

  it('tf.grad through logProb of out-of-support values is 0 (not NaN) and leaks no tensors', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.tensor1d([-1, 0.5, 2]);
      const [ga, gb] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.where(tf.isFinite(new Beta(a, b).logProb(x)), new Beta(a, b).logProb(x), 0)))([tf.scalar(2), tf.scalar(3)]);
      expect(Number.isFinite(ga!.dataSync()[0])).toBe(true);
      expect(Number.isFinite(gb!.dataSync()[0])).toBe(true);
      const gx = tf.grad((v: tf.Tensor) => tf.sum(tf.where(tf.isFinite(new Gamma(2, 1).logProb(v)), new Gamma(2, 1).logProb(v), 0)))(x);
      expect(Array.from(gx.dataSync())[0]).toBe(0);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
