import * as tf from '@tensorflow/tfjs-core';
import { cpuAdapter } from '@trientropy/backends';
import { uniformValues } from '@trientropy/backends/testing';
import { nativeAdapter } from './native-adapter.js';

const describeIfBuilt = nativeAdapter.check().available ? describe : describe.skip;

interface AdamRun {
  parameters: number[][];
  weights: number[][];
}

/** Trains two variables (one without a gradient in some steps) with Adam on fixed gradients, on the active backend. */
async function runAdam(steps: number): Promise<AdamRun> {
  const initialW = tf.tensor2d(uniformValues(40 * 30, -1, 1, 3), [40, 30]);
  const initialB = tf.tensor1d(uniformValues(30, -1, 1, 4));
  const w = tf.variable(initialW);
  const b = tf.variable(initialB);
  tf.dispose([initialW, initialB]);
  const optimizer = tf.train.adam(0.01, 0.9, 0.999, 1e-7);
  for (let step = 0; step < steps; step++) {
    const gw = tf.tensor2d(uniformValues(40 * 30, -1, 1, 100 + step), [40, 30]);
    const gb = tf.tensor1d(uniformValues(30, -1e-3, 1e-3, 200 + step));
    optimizer.applyGradients(step % 3 === 2 ? [{ name: w.name, tensor: gw }] : [{ name: w.name, tensor: gw }, { name: b.name, tensor: gb }]);
    tf.dispose([gw, gb]);
  }
  const parameters = [Array.from(await w.data()), Array.from(await b.data())];
  const named = await optimizer.getWeights();
  const weights = await Promise.all(named.map(async (n) => Array.from(await n.tensor.data())));
  named[0]!.tensor.dispose(); // the iteration count, a new scalar; the rest are the optimizer's own moments
  tf.dispose([w, b]);
  optimizer.dispose();
  return { parameters, weights };
}

describeIfBuilt('fused Adam on the native backend', () => {
  afterAll(async () => {
    await cpuAdapter.init();
  });

  it("is bit-identical to tfjs's Adam on the cpu backend: parameters, moments and iterations", async () => {
    await cpuAdapter.init();
    const expected = await runAdam(30);
    await nativeAdapter.init({ threads: 1 });
    const before = tf.memory().numTensors;
    const actual = await runAdam(30);
    expect(tf.memory().numTensors).toBe(before);
    expect(actual.parameters).toEqual(expected.parameters);
    expect(actual.weights).toEqual(expected.weights);
  });

  it('never changes data that another holder can see (clones, dataSync results)', async () => {
    await nativeAdapter.init({ threads: 1 });
    const initial = tf.tidy(() => tf.neg(tf.tensor2d(uniformValues(64 * 32, -1, 1, 9), [64, 32])));
    const w = tf.variable(initial);
    initial.dispose();
    const optimizer = tf.train.adam(0.1);
    const step = (): void => {
      const g = tf.onesLike(w);
      optimizer.applyGradients([{ name: w.name, tensor: g }]);
      g.dispose();
    };
    step(); // the moments now exist and w's data is an array the update owns
    // One fused pass per variable: only accBeta1/2's updates remain as kernels (tfjs's Adam runs ~14 per variable).
    const profile = await tf.profile(step);
    expect(profile.kernels.map((k) => k.name)).toEqual(['OnesLike', 'Multiply', 'Multiply']);
    const clone = tf.clone(w);
    const cloneBefore = Array.from(clone.dataSync());
    const read = w.dataSync();
    const readBefore = Array.from(read);
    step();
    expect(Array.from(clone.dataSync())).toEqual(cloneBefore);
    expect(Array.from(read)).toEqual(readBefore);
    expect(Array.from(w.dataSync())).not.toEqual(readBefore);
    tf.dispose([w, clone]);
    optimizer.dispose();
  });
});
