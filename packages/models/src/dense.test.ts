import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { applyActivation } from './activations.js';
import { type ActivationName, Dense, Mlp } from './index.js';

/** tfjs's own dense layer: matMul + add + activation, differentiated by tfjs's registered gradients. */
function referenceApply(layer: Dense, x: tf.Tensor2D): tf.Tensor2D {
  return applyActivation(layer.activation, tf.add(tf.matMul(x, layer.weight), layer.bias)) as tf.Tensor2D;
}

/** Largest |a − b| relative to the largest |b| (float32 agreement of two gradient computations). */
function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / Math.max(1e-30, tf.max(tf.abs(b)).dataSync()[0]!));
}

// A loss that weights every output differently, so that a transposed or summed-wrong gradient shows.
function weightedSum(y: tf.Tensor2D, seed: number): tf.Scalar {
  return tf.sum(tf.mul(y, tf.randomNormal(y.shape, 0, 1, 'float32', seed)));
}

const ACTIVATIONS: ActivationName[] = ['relu', 'linear', 'tanh', 'softplus'];

// cpu takes the transpose flags; wasm multiplies explicitly transposed operands (its flagged matMul is slow).
describe.each(['cpu', 'wasm'])('Dense (own gradient) on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
    expect(tf.getBackend()).toBe(backend);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(ACTIVATIONS)('%s: output and gradients to W, b and x equal tfjs’s own to float32 precision', (activation) => {
    const layer = new Dense({ inputSize: 37, outputSize: 23, activation, seed: 4, biasInit: 0.1, name: `dense-test-${activation}` });
    const x = tf.randomNormal([19, 37], 0, 1, 'float32', 5) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      expect(relativeError(layer.apply(x), referenceApply(layer, x))).toBeLessThan(1e-6);
      const ours = tf.grads((input: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => weightedSum(denseWith(layer, input, w, b, true), 6));
      const theirs = tf.grads((input: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => weightedSum(applyActivation(activation, tf.add(tf.matMul(input, w), b)) as tf.Tensor2D, 6));
      const [gx, gw, gb] = ours([x, layer.weight, layer.bias]);
      const [rx, rw, rb] = theirs([x, layer.weight, layer.bias]);
      expect(relativeError(gx!, rx!)).toBeLessThan(1e-6);
      expect(relativeError(gw!, rw!)).toBeLessThan(1e-6);
      expect(relativeError(gb!, rb!)).toBeLessThan(1e-6);
      expect(gw!.shape).toEqual([37, 23]);
      expect(gb!.shape).toEqual([23]);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, layer.weight, layer.bias]);
  });

  it('with inputGradient false gives the same weight gradients and refuses a gradient to x', () => {
    const layer = new Dense({ inputSize: 12, outputSize: 9, activation: 'relu', seed: 8, name: 'dense-test-data-input' });
    const x = tf.randomNormal([31, 12], 0, 1, 'float32', 9) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const ours = tf.variableGrads(() => weightedSum(layer.apply(x, { inputGradient: false }), 10), layer.variables());
      const theirs = tf.variableGrads(() => weightedSum(referenceApply(layer, x), 10), layer.variables());
      expect(relativeError(ours.value, theirs.value)).toBeLessThan(1e-6);
      for (const v of layer.variables()) expect(relativeError(ours.grads[v.name]!, theirs.grads[v.name]!)).toBeLessThan(1e-6);
    });
    expect(tf.memory().numTensors).toBe(before);
    // (tfjs leaks the forward pass's saved tensors when it refuses a gradient, so this runs after the count.)
    expect(() => tf.grad((input: tf.Tensor) => weightedSum(layer.apply(input as tf.Tensor2D, { inputGradient: false }), 10))(x)).toThrow(/gradient/i);
    tf.dispose([x, ...layer.variables()]);
  });

  it('an MLP with the data input flag trains like tfjs’s own layers (same gradients through three layers)', () => {
    const mlp = new Mlp({ inputSize: 10, hiddenSizes: [16, 8], outputSize: 4, activation: 'relu', seed: 2, name: 'dense-test-mlp' });
    const x = tf.randomNormal([25, 10], 0, 1, 'float32', 3) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const ours = tf.variableGrads(() => weightedSum(mlp.apply(x, { inputGradient: false }), 4), mlp.variables());
      const theirs = tf.variableGrads(() => weightedSum(mlp.layers.reduce((h, layer) => referenceApply(layer, h), x), 4), mlp.variables());
      for (const v of mlp.variables()) expect(relativeError(ours.grads[v.name]!, theirs.grads[v.name]!)).toBeLessThan(2e-6);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, ...mlp.variables()]);
  });
});

/** The layer's computation with W and b as plain inputs, so that tf.grads can differentiate with respect to them. */
function denseWith(layer: Dense, x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, inputGradient: boolean): tf.Tensor2D {
  const probe = Object.create(layer) as Dense;
  Object.defineProperty(probe, 'weight', { value: w });
  Object.defineProperty(probe, 'bias', { value: b });
  return probe.apply(x as tf.Tensor2D, { inputGradient });
}
