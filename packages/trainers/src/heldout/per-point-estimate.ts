import * as tf from '@tensorflow/tfjs-core';
import type { DataMatrix } from '@trientropy/data';
import type { VaeModel } from '@trientropy/models';

/** A held-out estimate in nats per data point: the mean of per-point values and its standard error. */
export interface PerPointEstimate {
  /** Mean over data points. */
  value: number;
  /** Standard error of the mean over data points, `sd/√N` (sample sd with N − 1; 0 for one point). */
  standardError: number;
  /** Number of data points N. */
  points: number;
}

/** Mean and standard error of per-point values, in float64 (Welford's update, no cancellation). */
export function meanWithStandardError(values: ArrayLike<number>, argument = 'values'): PerPointEstimate {
  const n = values.length;
  if (n === 0) throw new Error(`${argument}: expected at least one value, got 0`);
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new Error(`${argument}[${i}]: expected a finite number, got ${String(v)}`);
    const delta = v - mean;
    mean += delta / (i + 1);
    m2 += delta * (v - mean);
  }
  const standardError = n > 1 ? Math.sqrt(m2 / (n - 1) / n) : 0;
  return { value: mean, standardError, points: n };
}

/** Checks that `value` is a positive integer, naming `argument` otherwise. */
export function positiveInteger(value: number, argument: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${argument}: expected a positive integer, got ${String(value)}`);
  return value;
}

/** Checks that `value` is an integer, naming `argument` otherwise. */
export function integer(value: number, argument: string): number {
  if (!Number.isInteger(value)) throw new Error(`${argument}: expected an integer, got ${String(value)}`);
  return value;
}

/**
 * Runs `perRow` on chunks of at most `batchSize` rows of `data` (chunk i gets `i` for seeding) and returns the
 * concatenated per-row outputs as plain numbers, one list per output: a single device read at the end,
 * no tensors left behind.
 */
export async function perRowValues(
  model: VaeModel,
  data: DataMatrix | tf.Tensor2D,
  batchSize: number,
  perRow: (chunk: tf.Tensor2D, index: number) => tf.Tensor1D[],
): Promise<Float32Array[]> {
  const x = data instanceof tf.Tensor ? data : tf.tensor2d(data.values, [data.rows, data.cols], 'float32');
  try {
    const n = x.shape[0];
    if (x.rank !== 2) throw new Error(`data: expected a matrix [N, D], got rank ${x.rank}`);
    if (n === 0) throw new Error('data: expected at least one row, got 0');
    if (x.shape[1] !== model.dataDim) throw new Error(`data: expected ${model.dataDim} columns (the model's dataDim), got ${x.shape[1]}`);
    const outputs = tf.tidy(() => {
      const parts: tf.Tensor1D[][] = [];
      for (let start = 0, index = 0; start < n; start += batchSize, index++) {
        const size = Math.min(batchSize, n - start);
        parts.push(perRow(tf.slice(x, [start, 0], [size, x.shape[1]]), index));
      }
      return parts[0]!.map((_, j) => tf.concat(parts.map((p) => p[j]!)) as tf.Tensor1D);
    });
    const values = await Promise.all(outputs.map((t) => t.data() as Promise<Float32Array>));
    tf.dispose(outputs);
    return values;
  } finally {
    if (x !== data) x.dispose();
  }
}
