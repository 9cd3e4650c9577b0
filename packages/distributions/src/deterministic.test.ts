import * as tf from '@tensorflow/tfjs-core';
import { Deterministic, klDivergence } from './index.js';
import { expectMethodsDoNotLeak } from './test-support/reference-suite.js';

describe('Deterministic', () => {
  it('is a point mass: logProb 0 at loc and −∞ elsewhere, zero entropy and variance, step cdf', () => {
    tf.tidy(() => {
      const d = new Deterministic(tf.tensor1d([0.5, -2]));
      expect(Array.from(d.logProb(tf.tensor2d([[0.5, -2], [0.5000001, 3]])).dataSync())).toEqual([0, 0, -Infinity, -Infinity]);
      expect(Array.from(d.entropy().dataSync(), (v) => v === 0)).toEqual([true, true]);
      expect(Array.from(d.variance().dataSync())).toEqual([0, 0]);
      expect(Array.from(d.mean().dataSync())).toEqual([0.5, -2]);
      expect(Array.from(d.mode().dataSync())).toEqual([0.5, -2]);
      expect(Array.from(d.cdf(tf.tensor1d([0.4, -2])).dataSync())).toEqual([0, 1]);
      expect(Array.from(d.sample([2], 0).dataSync())).toEqual([0.5, -2, 0.5, -2]);
    });
  });

  it('rsample is loc itself, so gradients flow to loc (a deterministic encoder)', () => {
    tf.tidy(() => {
      const g = tf.grad((loc: tf.Tensor) => tf.sum(tf.square(new Deterministic(loc, { validateArgs: false }).rsample([3], 0))))(tf.tensor1d([1, -2]));
      expect(Array.from(g.dataSync())).toEqual([6, -12]);
    });
  });

  it('KL(δa ‖ δb) is 0 for a = b and +∞ otherwise', () => {
    tf.tidy(() => {
      const kl = klDivergence(new Deterministic(tf.tensor1d([1, 2])), new Deterministic(tf.tensor1d([1, 3])));
      expect(Array.from(kl.dataSync(), (v) => (v === 0 ? 0 : v))).toEqual([0, Infinity]);
    });
  });

  it('rejects a non-finite loc, naming it', () => {
    expect(() => new Deterministic(tf.tensor1d([0, NaN]))).toThrow(/loc: expected finite values, got NaN at flat index 1/);
  });

  it('no method leaves tensors behind', () => {
    const d = new Deterministic(tf.tensor1d([0, 1]));
    expectMethodsDoNotLeak(d, tf.tensor1d([0, 2]), new Deterministic(tf.tensor1d([0, 1])));
  });
});
