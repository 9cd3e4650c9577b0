import * as tf from '@tensorflow/tfjs-core';
import { cpuAdapter } from '@trientropy/backends';
import { REDUCTION, assertArraysClose, uniformValues } from '@trientropy/backends/testing';
import { LeanAdamOptimizer } from '@trientropy/trainers';
import { nativeAdapter } from './native-adapter.js';
import { SQUARED_ERROR_KERNEL } from './squared-error.js';

const describeIfBuilt = nativeAdapter.check().available ? describe : describe.skip;

/** Kernels large enough that the addon splits their element-wise loops over threads, and their results. */
function workload(): { exact: Record<string, number[]>; products: Record<string, number[]> } {
  return tf.tidy(() => {
    const read = (t: tf.Tensor): number[] => Array.from(t.dataSync());
    const x = tf.tensor2d(uniformValues(300 * 257, -1, 1, 1), [300, 257]);
    const mu = tf.tensor2d(uniformValues(2 * 300 * 257, -1, 1, 2), [600, 257]);
    const [r, difference] = tf.engine().runKernel(SQUARED_ERROR_KERNEL, { x, mu }, {}) as tf.Tensor[];
    // A ReLU layer's backward pass from fixed dy and y: δ and db are the addon's loops, dW and dx BLAS's.
    const w = tf.tensor2d(uniformValues(257 * 301, -1, 1, 3), [257, 301]);
    const dy = tf.tensor2d(uniformValues(300 * 301, -1, 1, 4), [300, 301]);
    const y = tf.relu(tf.tensor2d(uniformValues(300 * 301, -1, 1, 5), [300, 301]));
    const [dx, dw, db] = tf.engine().runKernel('TrientropyDenseGrad', { dy, x, w, y }, { inputGradient: true }) as tf.Tensor[];
    const bias = tf.tensor1d(uniformValues(301, -1, 1, 6));
    const forward = tf.engine().runKernel('_FusedMatMul', { a: x, b: w, bias }, { transposeA: false, transposeB: false, activation: 'relu' }) as tf.Tensor;
    const optimizer = new LeanAdamOptimizer(0.01);
    const v = tf.variable(tf.tensor2d(uniformValues(300 * 301, -1, 1, 7), [300, 301]));
    for (let i = 0; i < 3; i++) optimizer.applyGradients([{ name: v.name, tensor: dy }]);
    const exact = { R: read(r!), 'x − μ': read(difference!), Exp: read(tf.exp(x)), 'Multiply by a scalar': read(tf.mul(mu, 0.37)), 'Sub a scalar': read(tf.sub(x, 0.5)), Add: read(tf.add(x, x)), db: read(db!), Adam: read(v) };
    const products = { dx: read(dx!), dW: read(dw!), 'matMul + bias + relu': read(forward) };
    v.dispose();
    optimizer.dispose();
    return { exact, products };
  });
}

describeIfBuilt('the addon on 2 threads', () => {
  afterAll(async () => {
    await cpuAdapter.init();
  });

  it('gives the element-wise results of 1 thread bit for bit (loops split, reductions in order), and products within the reduction tolerance', async () => {
    await nativeAdapter.init({ threads: 1 });
    const one = workload();
    await nativeAdapter.init({ threads: 2 });
    const before = tf.memory().numTensors;
    const two = workload();
    expect(tf.memory().numTensors).toBe(before);
    await nativeAdapter.init({ threads: 1 });
    const differing = Object.keys(one.exact).filter((name) => one.exact[name]!.some((v, j) => !Object.is(v, two.exact[name]![j])));
    expect(differing).toEqual([]);
    // OpenBLAS's products themselves differ in the last bits between thread counts (its blocking changes).
    for (const name of Object.keys(one.products)) assertArraysClose(two.products[name]!, one.products[name]!, REDUCTION, name);
  });
});
