import * as tf from '@tensorflow/tfjs-core';
import { cpuAdapter } from '@trientropy/backends';
import { ELEMENTWISE, EXACT, REDUCTION, type Tolerance, assertArraysClose, uniformValues } from '@trientropy/backends/testing';
import { nativeAdapter } from './native-adapter.js';
import type { NativeBackend } from './native-backend.js';

// Kernel-level agreement with the cpu backend over the shapes and flags the contract suite does not cover
// exhaustively: every transpose combination and batch broadcast of matMul, fused bias + activation, broadcasting
// patterns, reductions over each axis block, transposes, gathers, and the output-array pool's safety.
const describeIfBuilt = nativeAdapter.check().available ? describe : describe.skip;

type Build = () => tf.Tensor;

/** Runs `build` on cpu and on native from the same inputs and compares the results. */
async function agree(build: Build, tolerance: Tolerance, label: string): Promise<void> {
  await cpuAdapter.init();
  const expected = tf.tidy(build);
  const expectedValues = await expected.data();
  const expectedShape = expected.shape;
  expected.dispose();
  await nativeAdapter.init({ threads: 1 });
  const before = tf.memory().numTensors;
  const actual = tf.tidy(build);
  expect(actual.shape).toEqual(expectedShape);
  assertArraysClose(await actual.data(), expectedValues, tolerance, label);
  actual.dispose();
  expect(tf.memory().numTensors).toBe(before);
}

let seed = 1;
const input = (shape: number[]): tf.Tensor => tf.tensor(uniformValues(shape.reduce((p, d) => p * d, 1), -2, 2, seed++), shape);

describeIfBuilt('native kernels agree with cpu', () => {
  afterAll(async () => {
    await cpuAdapter.init();
  });

  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      it(`matMul transposeA=${transposeA} transposeB=${transposeB}, plain and batched with broadcasting`, async () => {
        const a = input(transposeA ? [7, 5] : [5, 7]);
        const b = input(transposeB ? [3, 7] : [7, 3]);
        const a3 = input(transposeA ? [4, 7, 5] : [4, 5, 7]);
        const b3 = input(transposeB ? [1, 3, 7] : [1, 7, 3]);
        await agree(() => tf.matMul(a, b, transposeA, transposeB), REDUCTION, 'matMul 2-D');
        await agree(() => tf.matMul(a3, b3, transposeA, transposeB), REDUCTION, 'matMul batched, b broadcast');
        await agree(() => tf.matMul(a3, b, transposeA, transposeB), REDUCTION, 'matMul batched × 2-D');
        tf.dispose([a, b, a3, b3]);
      });
    }
  }

  for (const activation of ['linear', 'relu', 'relu6', 'leakyrelu', 'sigmoid', 'elu', 'prelu'] as const) {
    it(`fused matMul + bias + ${activation} (all transposes)`, async () => {
      const a = input([6, 4]);
      const b = input([4, 5]);
      const bias = input([5]);
      const scalarBias = input([1]);
      const alpha = input([5]);
      const options = (transposeA: boolean, transposeB: boolean, biasTensor: tf.Tensor) => ({
        a: transposeA ? tf.transpose(a) : a,
        b: transposeB ? tf.transpose(b) : b,
        transposeA,
        transposeB,
        bias: biasTensor,
        activation,
        preluActivationWeights: activation === 'prelu' ? alpha : undefined,
        leakyreluAlpha: 0.1,
      });
      for (const [transposeA, transposeB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        await agree(() => tf.fused.matMul(options(transposeA, transposeB, bias)), REDUCTION, `fused ${activation} ${transposeA} ${transposeB}`);
      }
      await agree(() => tf.fused.matMul(options(false, false, scalarBias)), REDUCTION, `fused ${activation}, scalar bias`);
      tf.dispose([a, b, bias, scalarBias, alpha]);
    });
  }

  it('broadcasting binary ops: same shape, scalar on either side, rows, columns, inner and outer broadcasts', async () => {
    const shapes: [number[], number[]][] = [
      [[4, 6], [4, 6]], [[4, 6], []], [[], [4, 6]], [[4, 6], [6]], [[4, 6], [4, 1]], [[4, 1], [1, 6]],
      [[2, 3, 4], [3, 1]], [[2, 1, 4], [2, 3, 1]], [[1, 3, 1, 5], [2, 1, 4, 1]], [[0, 3], [3]],
    ];
    for (const [sa, sb] of shapes) {
      const a = input(sa);
      const b = tf.add(tf.abs(input(sb)), 0.5); // away from 0 for division
      for (const op of [tf.add, tf.sub, tf.mul, tf.div, tf.maximum, tf.minimum, tf.squaredDifference]) {
        await agree(() => op(a, b), EXACT, `${op.name} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`);
      }
      tf.dispose([a, b]);
    }
  });

  it('reuses a broadcast plan per shape pair: right values every call, and no output shares its shape array', async () => {
    await nativeAdapter.init({ threads: 1 });
    const a = input([3, 4]);
    const b = input([4]);
    const c = input([3, 1]);
    const first = tf.mul(a, b);
    const second = tf.mul(a, b);
    expect(second.shape).not.toBe(first.shape);
    expect(Array.from(second.dataSync())).toEqual(Array.from(first.dataSync()));
    // A different pair with the same element count must get its own plan.
    const other = tf.mul(a, c);
    const expected = tf.tidy(() => tf.mul(a, tf.tile(c, [1, 4])));
    expect(Array.from(other.dataSync())).toEqual(Array.from(expected.dataSync()));
    tf.dispose([a, b, c, first, second, other, expected]);
  });

  it('maximum and minimum propagate NaN like the cpu backend', async () => {
    const a = tf.tensor1d([NaN, 1, 2, NaN]);
    const b = tf.tensor1d([0, NaN, 3, NaN]);
    for (const op of [tf.maximum, tf.minimum]) {
      await cpuAdapter.init();
      const expected = Array.from(op(a, b).dataSync());
      await nativeAdapter.init({ threads: 1 });
      // toEqual counts NaN as equal to NaN (assertArraysClose never does).
      expect(Array.from(op(a, b).dataSync())).toEqual(expected);
      expect(expected.filter(Number.isNaN)).toHaveLength(3);
    }
    tf.dispose([a, b]);
  });

  it('unary ops, including the Relu gradient (Step)', async () => {
    const x = input([3, 50]);
    const positive = tf.add(tf.abs(x), 0.01);
    for (const op of [tf.neg, tf.relu, tf.abs, tf.square, tf.step]) await agree(() => op(x), EXACT, op.name);
    for (const op of [tf.exp, tf.sigmoid, tf.tanh, tf.expm1]) await agree(() => op(x), ELEMENTWISE, op.name);
    for (const op of [tf.log, tf.sqrt, tf.rsqrt, tf.reciprocal, tf.log1p]) await agree(() => op(positive), ELEMENTWISE, op.name);
    await agree(() => tf.grad((t: tf.Tensor) => tf.sum(tf.relu(t)))(x), EXACT, 'relu gradient');
    tf.dispose([x, positive]);
  });

  it('sum, mean, max and min over every contiguous block of axes, with and without keepDims', async () => {
    const x = input([3, 4, 5]);
    const axesList: (number | number[] | undefined)[] = [undefined, 0, 1, 2, -1, [0, 1], [1, 2], [0, 2]];
    for (const axis of axesList) {
      for (const keepDims of [false, true]) {
        await agree(() => tf.sum(x, axis, keepDims), EXACT, `sum ${JSON.stringify(axis)}`);
        await agree(() => tf.mean(x, axis, keepDims), EXACT, `mean ${JSON.stringify(axis)}`);
        await agree(() => tf.max(x, axis, keepDims), EXACT, `max ${JSON.stringify(axis)}`);
        await agree(() => tf.min(x, axis, keepDims), EXACT, `min ${JSON.stringify(axis)}`);
      }
    }
    x.dispose();
  });

  it('transposes (2-D, blocked, and 4-D permutations) and row gathers', async () => {
    const x2 = input([70, 45]);
    const x4 = input([2, 3, 4, 5]);
    await agree(() => tf.transpose(x2), EXACT, 'transpose 2-D');
    for (const perm of [[0, 1, 3, 2], [3, 2, 1, 0], [1, 0, 2, 3], [2, 0, 3, 1]]) await agree(() => tf.transpose(x4, perm), EXACT, `transpose ${perm}`);
    const indices = tf.tensor1d([69, 0, 3, 3, 12], 'int32');
    await agree(() => tf.gather(x2, indices), EXACT, 'gather rows');
    await agree(() => tf.gather(x4, tf.tensor2d([[1, 0], [0, 1]], [2, 2], 'int32')), EXACT, 'gather with 2-D indices');
    await agree(() => tf.gather(x2, tf.tensor1d([1, 2], 'int32'), 1), EXACT, 'gather along axis 1 (cpu fallback)');
    tf.dispose([x2, x4, indices]);
  });

  it('slices (strided copies and contiguous views), splits and concatenations along every axis', async () => {
    const x3 = input([4, 6, 5]);
    await agree(() => tf.slice(x3, [1, 2, 1], [2, 3, 4]), EXACT, 'slice 3-D, strided');
    await agree(() => tf.slice(x3, [1, 0, 0], [2, 6, 5]), EXACT, 'slice 3-D, contiguous');
    await agree(() => tf.slice(x3, [0, 0, 4], [-1, -1, 1]), EXACT, 'slice of the last column');
    await agree(() => tf.slice(x3, [0, 0, 0], [4, 0, 5]), EXACT, 'empty slice');
    const splits: Array<[number, number[]]> = [[0, [1, 3]], [1, [2, 1, 3]], [2, [3, 2]], [-1, [1, 4]]];
    for (const [axis, sizes] of splits) {
      await agree(() => tf.concat(tf.split(x3, sizes, axis).reverse(), axis), EXACT, `split ${sizes} + concat along ${axis}`);
      await agree(() => tf.split(x3, sizes, axis)[1]!, EXACT, `piece 1 of split ${sizes} along ${axis}`);
    }
    await agree(() => tf.concat([x3, tf.zeros([4, 0, 5]), x3], 1), EXACT, 'concat with an empty input');
    await agree(() => tf.concat([tf.tensor1d([1, 2]), tf.tensor1d([3])], 0), EXACT, 'concat 1-D');
    await agree(() => tf.concat([x3, tf.cast(tf.ones([4, 6, 5], 'int32'), 'float32')], 2), EXACT, 'concat of float32 and int32-backed float32 (cpu fallback)');
    x3.dispose();
  });

  it('throws for a gather index out of range, as the cpu backend does', async () => {
    await nativeAdapter.init({ threads: 1 });
    const x = input([4, 3]);
    const indices = tf.tensor1d([1, 4], 'int32');
    expect(() => tf.gather(x, indices)).toThrow('GatherV2: the index value 4 is not in [0, 3]');
    tf.dispose([x, indices]);
  });

  it('int32 and bool-backed float32 data go to the cpu kernels', async () => {
    const ints = tf.tensor1d([1, -2, 3], 'int32');
    await agree(() => tf.add(ints, ints), EXACT, 'int32 add');
    await agree(() => tf.mul(tf.cast(tf.greater(ints, 0), 'float32'), tf.scalar(2)), EXACT, 'float32 holding a Uint8Array');
    ints.dispose();
  });
});

describeIfBuilt('the output-array pool never recycles an array someone can still see', () => {
  beforeAll(async () => {
    await nativeAdapter.init({ threads: 1 });
  });
  afterAll(async () => {
    await cpuAdapter.init();
  });

  it('keeps the array dataSync() handed out', () => {
    const x = input([64, 64]);
    const y = tf.exp(x);
    const read = y.dataSync();
    const copy = Float32Array.from(read);
    y.dispose();
    for (let i = 0; i < 5; i++) tf.dispose([tf.neg(x), tf.sqrt(tf.abs(x))]);
    expect(Array.from(read)).toEqual(Array.from(copy));
    x.dispose();
  });

  it('keeps an array that a slice views after the sliced tensor is disposed', () => {
    const x = input([64, 64]);
    const y = tf.neg(x);
    const rows = tf.slice(y, [0, 0], [32, 64]);
    const expected = Float32Array.from(tf.neg(tf.slice(x, [0, 0], [32, 64])).dataSync());
    y.dispose();
    for (let i = 0; i < 5; i++) tf.dispose([tf.exp(x), tf.neg(x)]);
    expect(Array.from(rows.dataSync())).toEqual(Array.from(expected));
    tf.dispose([x, rows]);
  });

  it('reuses the array of a disposed intermediate for the next output of the same size', () => {
    const backend = tf.backend() as NativeBackend;
    const x = input([64, 64]);
    const first = tf.neg(x);
    const array = backend.values(first);
    first.dispose();
    const second = tf.exp(x);
    expect(backend.values(second)).toBe(array);
    tf.dispose([x, second]);
  });
});
