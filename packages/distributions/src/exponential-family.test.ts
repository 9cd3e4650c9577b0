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
  Independent,
  Laplace,
  MultivariateNormalDiag,
  Normal,
  OneHotCategorical,
  Poisson,
  UnsupportedMethodError,
  exponentialFamily,
} from './index.js';
import { column, expectClose, expectNoTensorLeak, expectWithinStandardErrors } from './test-support/numeric-assertions.js';

// Each case: a distribution, points x in its support. Checked against the distribution's own, fixture-verified
// logProb and entropy, so these tests pin the view to the same SciPy references.
const cases: Array<[string, () => Distribution]> = [
  ['Normal', () => new Normal(tf.tensor1d([0.5, -2, 3]), tf.tensor1d([0.3, 1, 4]))],
  ['Bernoulli', () => new Bernoulli({ logits: tf.tensor1d([-3, 0.2, 5]) })],
  ['ContinuousBernoulli', () => new ContinuousBernoulli({ logits: tf.tensor1d([-6, 0.01, 2.5]) })],
  ['Categorical', () => new Categorical({ logits: tf.tensor2d([[0, 1, 2], [3, -1, 0], [0, 0, 0]]) })],
  ['OneHotCategorical', () => new OneHotCategorical({ probs: tf.tensor2d([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1], [1 / 3, 1 / 3, 1 / 3]]) })],
  ['Poisson', () => new Poisson(tf.tensor1d([0.5, 4, 30]))],
  ['Gamma', () => new Gamma(tf.tensor1d([0.5, 2, 30]), tf.tensor1d([1, 3, 0.5]))],
  ['Beta', () => new Beta(tf.tensor1d([0.5, 2, 30]), tf.tensor1d([0.7, 5, 20]))],
  ['Dirichlet', () => new Dirichlet(tf.tensor2d([[0.5, 1, 2], [3, 3, 3], [20, 1, 0.8]]))],
  ['Laplace (known location)', () => new Laplace(tf.tensor1d([0, 1, -2]), tf.tensor1d([0.5, 1, 3]))],
  ['MultivariateNormalDiag', () => new MultivariateNormalDiag(tf.tensor2d([[0, 1], [2, -1], [0.5, 0.5]]), tf.tensor2d([[1, 2], [0.5, 0.1], [3, 1]]))],
  ['Independent(Gamma, 1)', () => new Independent(new Gamma(tf.tensor2d([[0.5, 2], [3, 1], [7, 0.9]]), 1), 1)],
];
const hasConstantBase = (name: string): boolean => name !== 'Poisson';

describe.each(cases)('exponential-family view of %s', (name, make) => {
  it('log h + ηᵀT(x) − A(η) equals logProb(x) on samples', () => {
    tf.tidy(() => {
      const d = make();
      const x = d.sample([6], 7);
      expectClose(exponentialFamily(d).logProb(x), Array.from(d.logProb(x).dataSync()), { rtol: 2e-5, atol: 2e-5 }, 'logProb');
    });
  });

  it('∇A(η) by automatic differentiation equals the closed-form E[T(x)]', () => {
    tf.tidy(() => {
      const view = exponentialFamily(make());
      const eta = view.naturalParameters();
      const grads = tf.grads((...e: tf.Tensor[]) => tf.sum(view.logNormalizer(e)))(eta);
      view.expectedSufficientStatistics().forEach((expected, i) => {
        expectClose(grads[i]!, Array.from(expected.dataSync()), { rtol: 1e-4, atol: 1e-5 }, `∂A/∂η[${i}]`);
      });
    });
  });

  it('E[T(x)] matches the Monte-Carlo mean of the sufficient statistics', () => {
    tf.tidy(() => {
      const d = make();
      const view = exponentialFamily(d);
      const n = 5000;
      const stats = view.sufficientStatistics(d.sample([n], 11));
      view.expectedSufficientStatistics().forEach((expected, i) => {
        const values = (stats[i] as tf.Tensor).dataSync();
        const e = expected.dataSync();
        for (let j = 0; j < e.length; j++) expectWithinStandardErrors(column(values, e.length, j), e[j] as number, `E[T${i}][${j}]`);
      });
    });
  });

  if (hasConstantBase(name)) {
    it('−log h − ηᵀ∇A(η) + A(η) equals the entropy', () => {
      tf.tidy(() => {
        const d = make();
        expectClose(exponentialFamily(d).entropy(), Array.from(d.entropy().dataSync()), { rtol: 2e-5, atol: 2e-5 }, 'entropy');
      });
    });
  }
});

describe('exponential-family view: limits', () => {
  it('Poisson has a non-constant base measure, so the entropy formula is refused; unsupported families say so', () => {
    tf.tidy(() => {
      const view = exponentialFamily(new Poisson(tf.tensor1d([2])));
      expect(view.constantLogBaseMeasure).toBeUndefined();
      expect(() => view.entropy()).toThrow(/base measure is not constant/);
      expect(() => exponentialFamily(new Deterministic(1))).toThrow(UnsupportedMethodError);
      expect(exponentialFamily(new MultivariateNormalDiag(tf.zeros([4]), tf.ones([4]))).constantLogBaseMeasure).toBeCloseTo(-2 * Math.log(2 * Math.PI), 6);
    });
  });

  it('leaves no tensors behind', () => {
    const d = new Gamma(tf.tensor1d([2, 3]), tf.tensor1d([1, 1]));
    const x = tf.tensor1d([0.5, 1.5]);
    expectNoTensorLeak(() => {
      const view = exponentialFamily(d);
      tf.dispose([view.logProb(x), view.entropy(), view.logNormalizer(), ...view.naturalParameters(), ...view.expectedSufficientStatistics(), ...view.sufficientStatistics(x), view.logBaseMeasure(x)]);
    });
  });
});
