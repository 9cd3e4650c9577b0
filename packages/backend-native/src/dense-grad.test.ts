import * as tf from '@tensorflow/tfjs-core';
import { cpuAdapter } from '@trientropy/backends';
import { Dense } from '@trientropy/models';
import { DENSE_GRAD_KERNEL } from './dense-grad.js';
import { nativeAdapter } from './native-adapter.js';

const describeIfBuilt = nativeAdapter.check().available ? describe : describe.skip;

/** Gradients of a weighted sum of the layer's output to x (where asked), W and b, on the active backend. */
function gradients(layer: Dense, x: tf.Tensor2D, inputGradient: boolean): number[][] {
  return tf.tidy(() => {
    const weights = tf.randomNormal([x.shape[0], layer.weight.shape[1]!], 0, 1, 'float32', 3);
    const loss = (input: tf.Tensor): tf.Scalar => tf.sum(tf.mul(layer.apply(input as tf.Tensor2D, { inputGradient }), weights));
    const { grads } = tf.variableGrads(() => loss(x), layer.variables());
    const out = [grads[layer.weight.name]!, grads[layer.bias.name]!];
    if (inputGradient) out.unshift(tf.grad(loss)(x));
    return out.map((g) => Array.from(g.dataSync()));
  });
}

describeIfBuilt(`${DENSE_GRAD_KERNEL} (a dense layer's backward pass in one addon call)`, () => {
  beforeAll(async () => {
    await nativeAdapter.init({ threads: 1 });
  });
  afterAll(async () => {
    await cpuAdapter.init();
  });

  it.each([
    ['relu', true],
    ['relu', false],
    ['linear', true],
    ['linear', false],
  ] as const)('%s, inputGradient %s: bit-identical to the unfused kernels (Step, Multiply, BatchMatMul, Sum)', (activation, inputGradient) => {
    const layer = new Dense({ inputSize: 37, outputSize: 1100, activation, seed: 5, biasInit: 0.05, name: `dense-grad-${activation}-${inputGradient}` });
    const x = tf.randomNormal([19, 37], 0, 1, 'float32', 6) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const fused = gradients(layer, x, inputGradient);
    expect(tf.memory().numTensors).toBe(before);
    const kernel = tf.getKernel(DENSE_GRAD_KERNEL, 'native')!;
    tf.unregisterKernel(DENSE_GRAD_KERNEL, 'native');
    try {
      const unfused = gradients(layer, x, inputGradient);
      expect(fused).toEqual(unfused);
    } finally {
      tf.registerKernel(kernel);
    }
    expect(fused[0]!.some((v) => v !== 0)).toBe(true);
    tf.dispose([x, ...layer.variables()]);
  });

  it('reads data cast from bool (which shares a Uint8Array) like float32 data', () => {
    // A Bernoulli VAE's binary data: tf.cast(bool → float32) copies nothing, so the float32 tensor holds a Uint8Array.
    const layer = new Dense({ inputSize: 6, outputSize: 4, activation: 'relu', seed: 7, biasInit: 0.05, name: 'dense-grad-bool-data' });
    const bits = tf.tidy(() => tf.cast(tf.greater(tf.randomNormal([5, 6], 0, 1, 'float32', 8), 0), 'float32')) as tf.Tensor2D;
    const copy = tf.tensor2d(Float32Array.from(bits.dataSync()), [5, 6]);
    expect(gradients(layer, bits, false)).toEqual(gradients(layer, copy, false));
    tf.dispose([bits, copy, ...layer.variables()]);
  });

  it('refuses inputs of the wrong shape, naming them', () => {
    const dy = tf.zeros([4, 3]);
    const x = tf.zeros([4, 2]);
    const w = tf.zeros([2, 5]);
    expect(() => tf.engine().runKernel(DENSE_GRAD_KERNEL, { dy, x, w }, { inputGradient: true })).toThrow(`${DENSE_GRAD_KERNEL}: w: expected shape [2,3], got [2,5]`);
    expect(() => tf.engine().runKernel(DENSE_GRAD_KERNEL, { dy, x }, { inputGradient: true })).toThrow('inputs dy, x (and w for inputGradient) are required');
    tf.dispose([dy, x, w]);
  });
});
