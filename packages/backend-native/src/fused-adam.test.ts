import * as tf from '@tensorflow/tfjs-core';
import { cpuAdapter } from '@trientropy/backends';
import { uniformValues } from '@trientropy/backends/testing';
import { LeanAdamOptimizer } from '@trientropy/trainers';
import { FUSED_ADAM_KERNEL } from './fused-adam.js';
import { nativeAdapter } from './native-adapter.js';
import type { NativeBackend } from './native-backend.js';

const describeIfBuilt = nativeAdapter.check().available ? describe : describe.skip;

interface AdamRun {
  parameters: number[][];
  weights: number[][];
}

/** Trains two variables (one without a gradient in some steps) with Adam on fixed gradients, on the active backend. */
async function runAdam(steps: number, makeOptimizer: () => tf.AdamOptimizer): Promise<AdamRun> {
  const initialW = tf.tensor2d(uniformValues(40 * 30, -1, 1, 3), [40, 30]);
  const initialB = tf.tensor1d(uniformValues(30, -1, 1, 4));
  const w = tf.variable(initialW);
  const b = tf.variable(initialB);
  tf.dispose([initialW, initialB]);
  const optimizer = makeOptimizer();
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

describeIfBuilt('the fused Adam kernel on the native backend', () => {
  afterAll(async () => {
    await cpuAdapter.init();
  });

  it("through LeanAdamOptimizer, is bit-identical to tfjs's Adam on the cpu backend: parameters, moments, iterations", async () => {
    await cpuAdapter.init();
    expect(tf.getKernel(FUSED_ADAM_KERNEL, 'cpu')).toBeUndefined();
    const expected = await runAdam(30, () => tf.train.adam(0.01, 0.9, 0.999, 1e-7));
    await nativeAdapter.init({ threads: 1 });
    expect(tf.getKernel(FUSED_ADAM_KERNEL, 'native')).toBeDefined();
    const before = tf.memory().numTensors;
    const actual = await runAdam(30, () => new LeanAdamOptimizer(0.01, 0.9, 0.999, 1e-7));
    expect(tf.memory().numTensors).toBe(before);
    expect(actual.parameters).toEqual(expected.parameters);
    expect(actual.weights).toEqual(expected.weights);
  });

  it('runs one kernel per variable, and leaves data that a clone or a dataSync() result holds unchanged', async () => {
    await nativeAdapter.init({ threads: 1 });
    const initial = tf.tidy(() => tf.neg(tf.tensor2d(uniformValues(64 * 32, -1, 1, 9), [64, 32])));
    const w = tf.variable(initial);
    initial.dispose();
    const optimizer = new LeanAdamOptimizer(0.1);
    const gradient = tf.onesLike(w);
    const step = (): void => optimizer.applyGradients([{ name: w.name, tensor: gradient }]);
    step(); // creates the moments
    const profile = await tf.profile(step);
    expect(profile.kernels.map((k) => k.name)).toEqual(['Sub', 'Sub', FUSED_ADAM_KERNEL, 'Multiply', 'Multiply']);
    const clone = tf.clone(w);
    const cloneBefore = Array.from(clone.dataSync());
    const read = w.dataSync();
    const readBefore = Array.from(read);
    step();
    expect(Array.from(clone.dataSync())).toEqual(cloneBefore);
    expect(Array.from(read)).toEqual(readBefore);
    expect(Array.from(w.dataSync())).not.toEqual(readBefore);
    tf.dispose([w, clone, gradient]);
    optimizer.dispose();
  });

  it('updates in place once the arrays are its own, and never an array a dataSync() result or a clone holds', async () => {
    await nativeAdapter.init({ threads: 1 });
    const backend = tf.backend() as NativeBackend;
    const initial = tf.tidy(() => tf.neg(tf.tensor2d(uniformValues(64 * 32, -1, 1, 12), [64, 32])));
    const w = tf.variable(initial);
    initial.dispose();
    const optimizer = new LeanAdamOptimizer(0.1);
    const gradient = tf.onesLike(w);
    const step = (): void => optimizer.applyGradients([{ name: w.name, tensor: gradient }]);
    step();
    step();
    const array = backend.values(w);
    const before = tf.memory().numTensors;
    step();
    expect(backend.values(w)).toBe(array); // updated in place, nothing allocated
    expect(tf.memory().numTensors).toBe(before);
    const held = tf.clone(w);
    const heldValues = Array.from(held.dataSync());
    step();
    expect(backend.values(w)).not.toBe(array); // shared with the clone: a new array
    expect(Array.from(held.dataSync())).toEqual(heldValues);
    held.dispose();
    step();
    const inPlaceAgain = backend.values(w);
    step();
    expect(backend.values(w)).toBe(inPlaceAgain);
    tf.dispose([w, gradient]);
    optimizer.dispose();
  });

  it('validates its inputs, naming the one that is wrong', async () => {
    await nativeAdapter.init({ threads: 1 });
    const value = tf.zeros([3]);
    const wrong = tf.zeros([4]);
    const scalar = tf.scalar(0.1);
    const attrs = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, learningRate: 0.1 };
    expect(() =>
      tf.engine().runKernel(FUSED_ADAM_KERNEL, { value, gradient: wrong, firstMoment: value, secondMoment: value, oneMinusAccBeta1: scalar, oneMinusAccBeta2: scalar }, attrs),
    ).toThrow(`${FUSED_ADAM_KERNEL}: gradient: expected shape [3], got [4]`);
    expect(() => tf.engine().runKernel(FUSED_ADAM_KERNEL, { value, gradient: value, firstMoment: value, secondMoment: value, oneMinusAccBeta1: scalar }, attrs)).toThrow(
      `${FUSED_ADAM_KERNEL}: input 'oneMinusAccBeta2' is missing`,
    );
    tf.dispose([value, wrong, scalar]);
  });
});
