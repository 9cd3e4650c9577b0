import * as tf from '@tensorflow/tfjs-core';
import { Normal, klDivergence, STANDARD_NORMAL_ENTROPY } from './index.js';

describe('Normal', () => {
  it('has the entropy of a standard normal at scale 1', () => {
    const h = tf.tidy(() => new Normal(0, 1).entropy().arraySync());
    expect(h).toBeCloseTo(STANDARD_NORMAL_ENTROPY, 6);
  });

  it('passes gradients through rsample to loc and scale', () => {
    const loc = tf.variable(tf.tensor1d([0.5, -1]));
    const logVar = tf.variable(tf.tensor1d([0.1, -0.3]));
    const grads = tf.grads((l: tf.Tensor, v: tf.Tensor) => tf.sum(tf.square(Normal.fromLogVariance(l, v, { validateArgs: false }).rsample([3], 7))));
    const [gl, gv] = grads([loc, logVar]);
    expect(Array.from(gl!.dataSync()).every((g) => g !== 0 && Number.isFinite(g))).toBe(true);
    expect(Array.from(gv!.dataSync()).every((g) => g !== 0 && Number.isFinite(g))).toBe(true);
    tf.dispose([loc, logVar, gl!, gv!]);
  });

  it('gives zero KL between identical normals', () => {
    const kl = tf.tidy(() => klDivergence(new Normal(tf.tensor1d([1, 2]), tf.tensor1d([0.5, 3])), new Normal(tf.tensor1d([1, 2]), tf.tensor1d([0.5, 3]))).arraySync());
    expect(kl).toEqual([0, 0]);
  });

  it('rejects a non-positive scale naming the argument', () => {
    expect(() => new Normal(0, tf.tensor1d([1, -2]))).toThrow(/scale: expected finite values > 0, got -2 at flat index 1/);
  });
});
