import * as tf from '@tensorflow/tfjs-core';
import { cpuAdapter } from '@trientropy/backends';
import { seededRandomNormal } from '@trientropy/distributions';
import { nativeAdapter } from './native-adapter.js';
import { RANDOM_NORMAL_KERNEL } from './random-normal.js';

const describeIfBuilt = nativeAdapter.check().available ? describe : describe.skip;

/** tfjs-core's own draws (its JavaScript MPRandGauss on seedrandom's alea, whichever backend is active). */
function tfjsDraws(shape: number[], mean: number, stdDev: number, seed: number): Float32Array {
  return tf.tidy(() => tf.randomNormal(shape, mean, stdDev, 'float32', seed).dataSync() as Float32Array);
}

function kernelDraws(shape: number[], mean: number, stdDev: number, seed: number): Float32Array {
  return tf.tidy(() => (tf.engine().runKernel(RANDOM_NORMAL_KERNEL, {}, { shape, mean, stdDev, seed }) as tf.Tensor).dataSync() as Float32Array);
}

describeIfBuilt(`${RANDOM_NORMAL_KERNEL} (tfjs's normal draws in the addon)`, () => {
  beforeAll(async () => {
    await nativeAdapter.init({ threads: 1 });
  });
  afterAll(async () => {
    await cpuAdapter.init();
  });

  it.each([
    // Seeds as distributions' tfjsSeed hands them over: 0.5 (for 0), negatives, large and non-integer strings.
    [[1, 512, 20], 0, 1, 0.5],
    [[7], 0, 1, 1],
    [[3, 5], 2.5, 0.3, -17],
    [[1], 0, 1, 9007199254740991],
    [[2, 3, 4], -1, 4, 1e21],
    [[0, 4], 0, 1, 3],
    [[1001], 0, 1, 123456789],
  ] as const)('shape %j, mean %d, stdDev %d, seed %d: bit-identical to tf.randomNormal', (shape, mean, stdDev, seed) => {
    const before = tf.memory().numTensors;
    const native = kernelDraws([...shape], mean, stdDev, seed);
    expect(tf.memory().numTensors).toBe(before);
    const reference = tfjsDraws([...shape], mean, stdDev, seed);
    expect(native.length).toBe(reference.length);
    expect(Array.from(native)).toEqual(Array.from(reference));
  });

  it('matches tfjs on half a million draws (the logarithm agrees with V8 Math.log on every one of them)', () => {
    for (const seed of [11, 12]) {
      const native = kernelDraws([250, 1000], 0, 1, seed);
      const reference = tfjsDraws([250, 1000], 0, 1, seed);
      let mismatches = 0;
      for (let i = 0; i < native.length; i++) if (!Object.is(native[i], reference[i])) mismatches++;
      expect(mismatches).toBe(0);
      // Not degenerate: the draws look standard normal.
      const mean = native.reduce((s, v) => s + v, 0) / native.length;
      expect(Math.abs(mean)).toBeLessThan(0.01);
    }
  });

  it("is what distributions' seededRandomNormal draws on native (seed 0 included), and differs between seeds", () => {
    for (const seed of [0, 1, -5]) {
      const viaOp = tf.tidy(() => seededRandomNormal([64, 20], seed).dataSync() as Float32Array);
      expect(Array.from(viaOp)).toEqual(Array.from(tfjsDraws([64, 20], 0, 1, seed === 0 ? 0.5 : seed)));
    }
    expect(Array.from(kernelDraws([8], 0, 1, 1))).not.toEqual(Array.from(kernelDraws([8], 0, 1, 2)));
  });

  it('refuses a missing or zero seed and bad shapes, naming them', () => {
    const run = (attrs: tf.NamedAttrMap) => () => tf.engine().runKernel(RANDOM_NORMAL_KERNEL, {}, attrs);
    expect(run({ shape: [2], mean: 0, stdDev: 1, seed: 0 })).toThrow(`${RANDOM_NORMAL_KERNEL}: seed: expected a finite non-zero number`);
    expect(run({ shape: [2], mean: 0, stdDev: 1 })).toThrow('seed: expected a finite non-zero number');
    expect(run({ shape: [2, -1], mean: 0, stdDev: 1, seed: 1 })).toThrow('shape: expected non-negative integer dimensions, got [2,-1]');
    expect(run({ shape: [2], mean: '0', stdDev: 1, seed: 1 })).toThrow('mean and stdDev: expected numbers');
  });
});
