import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { HostBatches } from './host-batches.js';

// Batches keep their rows while later batches are drawn: on cpu every batch owns a fresh array (cpu keeps the
// array it is given); on wasm one host buffer is refilled, which is safe only because wasm copies at upload.
describe.each(['cpu', 'wasm'])('HostBatches on %s', (backend) => {
  let previous: string;
  beforeAll(async () => {
    previous = tf.getBackend() ?? 'cpu';
    await tf.setBackend(backend);
    expect(tf.getBackend()).toBe(backend);
  });
  afterAll(async () => {
    await tf.setBackend(previous);
  });

  it('gives the rows of the order, and earlier batches keep theirs', () => {
    const rows = 40;
    const cols = 6;
    const values = Float32Array.from({ length: rows * cols }, (_, i) => i * 0.5 - 3);
    const order = Int32Array.from({ length: rows }, (_, i) => (i * 13 + 7) % rows);
    const batches = new HostBatches(values, cols);
    const before = tf.memory().numTensors;
    const drawn = [0, 8, 16, 24].map((start) => ({ start, tensor: batches.batch(order, start, 8) }));
    for (const { start, tensor } of drawn) {
      expect(tensor.shape).toEqual([8, cols]);
      const got = tensor.dataSync();
      for (let i = 0; i < 8; i++) {
        const row = order[start + i]!;
        expect(Array.from(got.subarray(i * cols, (i + 1) * cols))).toEqual(Array.from(values.subarray(row * cols, (row + 1) * cols)));
      }
    }
    tf.dispose(drawn.map((d) => d.tensor));
    expect(tf.memory().numTensors).toBe(before);
  });
});
