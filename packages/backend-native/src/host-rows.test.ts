import * as tf from '@tensorflow/tfjs-core';
import { cpuAdapter } from '@trientropy/backends';
import { uniformValues } from '@trientropy/backends/testing';
import { HOST_ROWS_KERNEL } from './host-rows.js';
import { nativeAdapter } from './native-adapter.js';
import type { NativeBackend } from './native-backend.js';

const describeIfBuilt = nativeAdapter.check().available ? describe : describe.skip;

describeIfBuilt(`${HOST_ROWS_KERNEL} (minibatches from host rows)`, () => {
  const cols = 1200; // rows of more than the pool's minimum length, so that batches are recycled
  const values = uniformValues(50 * cols, -1, 1, 21);
  const order = Int32Array.from({ length: 50 }, (_, i) => (i * 17 + 3) % 50);
  const rows = (start: number, size: number): tf.Tensor2D =>
    tf.engine().runKernel(HOST_ROWS_KERNEL, {}, { values, cols, order, start, size } as unknown as tf.NamedAttrMap) as tf.Tensor2D;

  beforeAll(async () => {
    await nativeAdapter.init({ threads: 1 });
  });
  afterAll(async () => {
    await cpuAdapter.init();
  });

  it('gives the rows order[start…start+size−1] of the host matrix, in a recycled array, without leaks', () => {
    const before = tf.memory().numTensors;
    for (const [start, size] of [[0, 8], [13, 37], [49, 1]] as const) {
      const batch = rows(start, size);
      expect(batch.shape).toEqual([size, cols]);
      const got = batch.dataSync();
      for (let i = 0; i < size; i++) {
        const row = order[start + i]!;
        expect(Array.from(got.subarray(i * cols, (i + 1) * cols))).toEqual(Array.from(values.subarray(row * cols, (row + 1) * cols)));
      }
      batch.dispose();
    }
    // A batch disposed unread hands its array to the next batch of the same size.
    const first = rows(2, 4);
    const array = (tf.backend() as NativeBackend).values(first);
    first.dispose();
    const second = rows(20, 4);
    expect((tf.backend() as NativeBackend).values(second)).toBe(array);
    expect(second.dataSync()[0]).toBe(values[order[20]! * cols]);
    second.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a window outside the order, a bad column count and an index out of range, naming them', () => {
    expect(() => rows(45, 6)).toThrow('start 45 and size 6 do not fit an order of length 50');
    expect(() => tf.engine().runKernel(HOST_ROWS_KERNEL, {}, { values, cols: 7, order, start: 0, size: 1 } as unknown as tf.NamedAttrMap)).toThrow('cols: expected a positive divisor');
    const bad = Int32Array.of(0, 50);
    expect(() => tf.engine().runKernel(HOST_ROWS_KERNEL, {}, { values, cols, order: bad, start: 0, size: 2 } as unknown as tf.NamedAttrMap)).toThrow('the index value 50 is not in [0, 49]');
  });
});
