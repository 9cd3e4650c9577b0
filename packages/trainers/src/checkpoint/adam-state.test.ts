import * as tf from '@tensorflow/tfjs-core';
import '@trientropy/distributions';
import { captureAdamState, restoreAdamState } from './adam-state.js';

function makeVariables(): tf.Variable[] {
  return [tf.variable(tf.tensor2d([[0.5, -1], [2, 0.25]])), tf.variable(tf.scalar(1.5))];
}

function step(optimizer: tf.AdamOptimizer, variables: tf.Variable[]): void {
  tf.tidy(() => {
    optimizer.minimize(() => tf.add(tf.sum(tf.sin(tf.mul(variables[0]!, variables[1]!))), tf.square(variables[1]!)) as tf.Scalar, false, variables);
  });
}

async function values(variables: tf.Variable[]): Promise<number[]> {
  return (await Promise.all(variables.map(async (v) => Array.from(await v.data())))).flat();
}

describe('Adam state capture and restore', () => {
  it('continues exactly like the uninterrupted optimizer (bit for bit)', async () => {
    const reference = makeVariables();
    const referenceOptimizer = tf.train.adam(0.05);
    // After 13 steps Adam holds β₁^14, where float32 running products and pow() differ.
    for (let i = 0; i < 13; i++) step(referenceOptimizer, reference);
    const state = await captureAdamState(referenceOptimizer);
    const snapshot = await values(reference);

    const resumed = makeVariables();
    resumed.forEach((v, i) => v.assign(tf.tensor(snapshot.slice(i === 0 ? 0 : 4, i === 0 ? 4 : 5), v.shape)));
    const resumedOptimizer = tf.train.adam(0.05);
    await restoreAdamState(resumedOptimizer, state, resumed);
    // tfjs' setWeights alone would leave β₁^t off by one float32 ulp here.
    expect(await captureAdamState(resumedOptimizer)).toEqual(state);
    for (let i = 0; i < 20; i++) {
      step(referenceOptimizer, reference);
      step(resumedOptimizer, resumed);
    }
    expect(resumedOptimizer.iterations).toBe(referenceOptimizer.iterations);
    expect(await values(resumed)).toEqual(await values(reference));
    tf.dispose([...reference, ...resumed]);
    referenceOptimizer.dispose();
    resumedOptimizer.dispose();
  });

  it('rejects a state for a different number of variables', async () => {
    const variables = makeVariables();
    const optimizer = tf.train.adam(0.05);
    step(optimizer, variables);
    const state = await captureAdamState(optimizer);
    const other = tf.train.adam(0.05);
    await expect(restoreAdamState(other, state, variables.slice(0, 1))).rejects.toThrow('optimizer state: expected moments for 1 variables, got 2');
    tf.dispose(variables);
    optimizer.dispose();
    other.dispose();
  });
});
