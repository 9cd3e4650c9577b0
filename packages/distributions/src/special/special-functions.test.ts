import * as tf from '@tensorflow/tfjs-core';
import '../tfjs-runtime.js';
import { loadFixture } from '../test-support/fixtures.js';
import {
  PROBABILITY_TOLERANCE,
  REFERENCE_TOLERANCE,
  expectAllFinite,
  expectClose,
  expectNoTensorLeak,
} from '../test-support/numeric-assertions.js';
import {
  continuousBernoulliLogNormalizer,
  digamma,
  lgamma,
  log1mexp,
  logExpm1,
  logSumExp,
  softplus,
  softplusInverse,
  trigamma,
} from './index.js';

interface Entry {
  x: number[];
  value: number[];
  grad: number[];
}
interface SpecialFixture {
  lgamma: Entry;
  lgammaNearZeros: Entry;
  digamma: Entry;
  trigamma: Entry;
  gammaGradients: { x: number[]; digamma: number[]; trigamma: number[]; tetragamma: number[] };
  softplus: Entry;
  softplusInverse: Entry;
  log1mexp: Entry;
  continuousBernoulliLogNormalizer: Entry;
  logSumExp: { x: number[][]; value: number[]; grad: number[][] };
}
const fixture = loadFixture<SpecialFixture>('special');

type Op = (x: tf.Tensor) => tf.Tensor;
const ops: Array<[keyof SpecialFixture, Op]> = [
  ['lgamma', lgamma],
  ['digamma', digamma],
  ['trigamma', trigamma],
  ['softplus', softplus],
  ['softplusInverse', softplusInverse],
  ['log1mexp', log1mexp],
  ['continuousBernoulliLogNormalizer', continuousBernoulliLogNormalizer],
];

describe('special functions against SciPy (float64) fixtures', () => {
  it.each(ops)('%s values and derivatives', (name, op) => {
    const e = fixture[name] as Entry;
    const where = (i: number): string => `(x ${e.x[i]})`;
    tf.tidy(() => {
      const x = tf.tensor1d(e.x);
      expectClose(op(x), e.value, REFERENCE_TOLERANCE, `${name}`, where);
      // trigamma's derivative comes from automatic differentiation of its series (no custom gradient), and
      // ψ₂ is ~1/x³ for small x: 1e-4 relative there, like every other autodiff gradient check here.
      const tolerance = name === 'trigamma' ? { rtol: 1e-4, atol: 1e-6 } : REFERENCE_TOLERANCE;
      expectClose(tf.grad((v: tf.Tensor) => tf.sum(op(v)))(x), e.grad, tolerance, `d ${name}/dx`, where);
    });
  });

  it('lgamma keeps its relative accuracy next to its zeros x = 1 and x = 2 (no absolute floor)', () => {
    const e = fixture.lgammaNearZeros;
    tf.tidy(() => {
      const x = tf.tensor1d(e.x);
      expectClose(lgamma(x), e.value, PROBABILITY_TOLERANCE, 'lgamma', (i) => `(x ${e.x[i]})`);
      expectClose(tf.grad((v: tf.Tensor) => tf.sum(lgamma(v)))(x), e.grad, REFERENCE_TOLERANCE, 'digamma');
    });
  });

  it('second and third derivatives: digamma, trigamma and tetragamma through gradients of gradients', () => {
    const e = fixture.gammaGradients;
    tf.tidy(() => {
      const x = tf.tensor1d(e.x);
      const dLgamma = tf.grad((v: tf.Tensor) => tf.sum(lgamma(v)));
      expectClose(dLgamma(x), e.digamma, REFERENCE_TOLERANCE, 'd lgamma');
      expectClose(tf.grad((v: tf.Tensor) => tf.sum(digamma(v)))(x), e.trigamma, REFERENCE_TOLERANCE, 'd digamma');
      expectClose(tf.grad((v: tf.Tensor) => tf.sum(trigamma(v)))(x), e.tetragamma, { rtol: 1e-4, atol: 1e-6 }, 'd trigamma');
    });
  });

  it('logSumExp along an axis, with its softmax gradient', () => {
    const e = fixture.logSumExp;
    tf.tidy(() => {
      const x = tf.tensor2d(e.x);
      expectClose(logSumExp(x, 1), e.value, REFERENCE_TOLERANCE, 'logSumExp');
      expectClose(tf.grad((v: tf.Tensor) => tf.sum(logSumExp(v, -1)))(x), e.grad, REFERENCE_TOLERANCE, 'softmax');
      expect(logSumExp(x, 1, true).shape).toEqual([e.x.length, 1]);
      expect(logSumExp(x).shape).toEqual([]);
    });
  });
});

describe('special functions: edge cases', () => {
  it('logSumExp of an all −Infinity slice is −Infinity (tf.logSumExp gives NaN), +Infinity stays +Infinity', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([
        [-Infinity, -Infinity],
        [Infinity, 0],
        [-Infinity, 0],
      ]);
      expect(Array.from(logSumExp(x, 1).dataSync())).toEqual([-Infinity, Infinity, 0]);
    });
  });

  it('softplus is accurate in the far left tail, and never overflows', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([-10, -13, 100, 1e30, -1e30]);
      const expected = [-10, -13].map((v) => Math.log1p(Math.exp(v)));
      expectClose(tf.slice(softplus(x), 0, 2), expected, PROBABILITY_TOLERANCE, 'softplus');
      expect(Array.from(tf.slice(softplus(x), 2).dataSync())).toEqual([100, 1e30, 0].map(Math.fround));
    });
  });

  it('softplusInverse inverts softplus, logExpm1 agrees with it, and log1mexp(0) is −Infinity', () => {
    tf.tidy(() => {
      const y = tf.tensor1d([1e-6, 0.3, 2, 50]);
      expectClose(softplus(softplusInverse(y)), [1e-6, 0.3, 2, 50], { rtol: 2e-6, atol: 0 }, 'round trip');
      expectClose(logExpm1(y), Array.from(softplusInverse(y).dataSync()), { rtol: 0, atol: 0 }, 'logExpm1');
      expect(log1mexp(tf.scalar(0)).dataSync()[0]).toBe(-Infinity);
    });
  });

  it('gradients stay finite on both sides of every branch boundary', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([0.49999997, 0.5, 1.5, 2.5, 7.4999995, 7.5, Math.LN2, 0.69314724]);
      for (const op of [lgamma, digamma, trigamma, log1mexp, softplusInverse]) expectAllFinite(tf.grad((v: tf.Tensor) => tf.sum(op(v)))(x), op.name);
      const eta = tf.tensor1d([0, 0.49999997, 0.5, -0.5, 1e-30]);
      expectAllFinite(tf.grad((v: tf.Tensor) => tf.sum(continuousBernoulliLogNormalizer(v)))(eta), 'cb');
    });
  });

  it('no op leaves tensors behind, value or gradient', () => {
    const x = tf.tensor1d([0.3, 1.7, 9]);
    const all: Op[] = [lgamma, digamma, trigamma, softplus, softplusInverse, log1mexp, logExpm1, continuousBernoulliLogNormalizer, (v) => logSumExp(v)];
    expectNoTensorLeak(() => {
      for (const op of all) {
        op(x).dispose();
        tf.grad((v: tf.Tensor) => tf.sum(op(v)))(x).dispose();
      }
    });
    x.dispose();
  });
});
