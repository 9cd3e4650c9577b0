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

  it('runs one kernel per step, and leaves data that a clone or a dataSync() result holds unchanged', async () => {
    await nativeAdapter.init({ threads: 1 });
    const initial = tf.tidy(() => tf.neg(tf.tensor2d(uniformValues(64 * 32, -1, 1, 9), [64, 32])));
    const w = tf.variable(initial);
    initial.dispose();
    const optimizer = new LeanAdamOptimizer(0.1);
    const gradient = tf.onesLike(w);
    const step = (): void => optimizer.applyGradients([{ name: w.name, tensor: gradient }]);
    step(); // creates the moments
    const profile = await tf.profile(step);
    expect(profile.kernels.map((k) => k.name)).toEqual([FUSED_ADAM_KERNEL, 'Multiply', 'Multiply']);
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

  it('updates all variables in one call, in place only when it may do so for every one of them', async () => {
    await nativeAdapter.init({ threads: 1 });
    const backend = tf.backend() as NativeBackend;
    /** Five steps on two variables; with `hold`, a clone of the bias is alive during the fifth. */
    const run = (hold: boolean): { values: number[][]; inPlace: boolean[]; afterHold: boolean[] } => {
      const variables = [
        tf.variable(tf.tidy(() => tf.neg(tf.tensor2d(uniformValues(48 * 16, -1, 1, 21), [48, 16])))),
        tf.variable(tf.tidy(() => tf.neg(tf.tensor1d(uniformValues(16, -1, 1, 22))))),
      ];
      const gradients = variables.map((v, i) => tf.tensor(uniformValues(v.size, -1, 1, 30 + i), v.shape));
      const optimizer = new LeanAdamOptimizer(0.05);
      const step = (): void => optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: gradients[i]! })));
      for (let i = 0; i < 3; i++) step();
      const arrays = variables.map((v) => backend.values(v));
      step();
      const inPlace = variables.map((v, i) => backend.values(v) === arrays[i]);
      const held = hold ? tf.clone(variables[1]!) : undefined;
      step();
      const afterHold = variables.map((v, i) => backend.values(v) === arrays[i]);
      held?.dispose();
      const values = variables.map((v) => Array.from(v.dataSync()));
      tf.dispose([...variables, ...gradients]);
      optimizer.dispose();
      return { values, inPlace, afterHold };
    };
    const free = run(false);
    const held = run(true);
    expect(free.inPlace).toEqual([true, true]);
    expect(free.afterHold).toEqual([true, true]);
    // The clone shares the bias's data: neither variable is written in place (all or none), the results are equal.
    expect(held.afterHold).toEqual([false, false]);
    expect(held.values).toEqual(free.values);
  });

  it('validates its inputs, naming the one that is wrong', async () => {
    await nativeAdapter.init({ threads: 1 });
    const value = tf.zeros([3]);
    const wrong = tf.zeros([4]);
    const scalar = tf.scalar(0.1);
    const attrs = { count: 1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, learningRate: 0.1 };
    expect(() =>
      tf.engine().runKernel(FUSED_ADAM_KERNEL, { accBeta1: scalar, accBeta2: scalar, value0: value, gradient0: wrong, firstMoment0: value, secondMoment0: value }, attrs),
    ).toThrow(`${FUSED_ADAM_KERNEL}: gradient0: expected shape [3], got [4]`);
    expect(() => tf.engine().runKernel(FUSED_ADAM_KERNEL, { accBeta1: scalar, accBeta2: scalar, value0: value, gradient0: value, firstMoment0: value }, attrs)).toThrow(
      `${FUSED_ADAM_KERNEL}: inputs value0, gradient0, firstMoment0 and secondMoment0 are required (count 1)`,
    );
    expect(() => tf.engine().runKernel(FUSED_ADAM_KERNEL, { accBeta1: scalar, value0: value, gradient0: value, firstMoment0: value, secondMoment0: value }, attrs)).toThrow(
      `${FUSED_ADAM_KERNEL}: inputs 'accBeta1' and 'accBeta2' are required`,
    );
    tf.dispose([value, wrong, scalar]);
  });
});
