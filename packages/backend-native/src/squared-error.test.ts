import * as tf from '@tensorflow/tfjs-core';
import { cpuAdapter } from '@trientropy/backends';
import { REDUCTION, assertArraysClose, uniformValues } from '@trientropy/backends/testing';
import { nativeAdapter } from './native-adapter.js';
import { SQUARED_ERROR_KERNEL } from './squared-error.js';

const describeIfBuilt = nativeAdapter.check().available ? describe : describe.skip;

/** R = mean over rows of ‖x − μ‖² and x − μ with the kernels the fused one replaces, on the active backend. */
function unfused(x: tf.Tensor2D, mu: tf.Tensor2D): [Float32Array, Float32Array] {
  return tf.tidy(() => {
    const [rows, dim] = x.shape;
    const difference = tf.sub(x, tf.reshape(mu, [mu.shape[0] / rows, rows, dim]));
    const value = tf.mean(tf.sum(tf.square(difference), -1));
    return [value.dataSync() as Float32Array, difference.dataSync() as Float32Array];
  });
}

function fused(x: tf.Tensor2D, mu: tf.Tensor2D): [Float32Array, Float32Array] {
  const [value, difference] = tf.engine().runKernel(SQUARED_ERROR_KERNEL, { x, mu }, {}) as tf.Tensor[];
  const out: [Float32Array, Float32Array] = [value!.dataSync() as Float32Array, difference!.dataSync() as Float32Array];
  expect(difference!.shape).toEqual(mu.shape);
  tf.dispose([value!, difference!]);
  return out;
}

describeIfBuilt(`${SQUARED_ERROR_KERNEL} (the Gaussian ELBO's R in one addon call)`, () => {
  afterAll(async () => {
    await cpuAdapter.init();
  });

  // Row and column counts that are not multiples of the kernel's four partial sums, one and several samples.
  it.each([
    [1, 13, 7],
    [1, 128, 784],
    [3, 5, 10],
    [2, 9, 1],
  ])('%i sample(s) of %i rows × %i: bit-identical to Sub, Square, Sum, Mean on native, and close to cpu', async (samples, rows, dim) => {
    const xValues = uniformValues(rows * dim, 0, 1, rows + dim);
    const muValues = uniformValues(samples * rows * dim, -0.5, 1.5, samples + rows);
    await cpuAdapter.init();
    const onCpu = tf.tidy(() => unfused(tf.tensor2d(xValues, [rows, dim]), tf.tensor2d(muValues, [samples * rows, dim])));
    await nativeAdapter.init({ threads: 1 });
    const x = tf.tensor2d(xValues, [rows, dim]);
    const mu = tf.tensor2d(muValues, [samples * rows, dim]);
    const before = tf.memory().numTensors;
    const [value, difference] = fused(x, mu);
    expect(tf.memory().numTensors).toBe(before);
    const [expectedValue, expectedDifference] = unfused(x, mu);
    expect(Array.from(value)).toEqual(Array.from(expectedValue));
    expect(Array.from(difference)).toEqual(Array.from(expectedDifference));
    assertArraysClose(value, onCpu[0], REDUCTION, 'R against cpu');
    expect(Array.from(difference)).toEqual(Array.from(onCpu[1]));
    tf.dispose([x, mu]);
  });

  it('refuses shapes that do not fit, naming them', async () => {
    await nativeAdapter.init({ threads: 1 });
    const x = tf.zeros([4, 3]);
    const mu = tf.zeros([6, 3]);
    const narrow = tf.zeros([4, 2]);
    expect(() => tf.engine().runKernel(SQUARED_ERROR_KERNEL, { x, mu }, {})).toThrow(`${SQUARED_ERROR_KERNEL}: mu: expected [S·4, 3] for x [4,3], got [6,3]`);
    expect(() => tf.engine().runKernel(SQUARED_ERROR_KERNEL, { x, mu: narrow }, {})).toThrow(`${SQUARED_ERROR_KERNEL}: mu: expected [S·4, 3] for x [4,3], got [4,2]`);
    expect(() => tf.engine().runKernel(SQUARED_ERROR_KERNEL, { x }, {})).toThrow(`${SQUARED_ERROR_KERNEL}: inputs x and mu are required`);
    tf.dispose([x, mu, narrow]);
  });
});
