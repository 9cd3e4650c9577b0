import type { DataMatrix } from '../data-matrix.js';
import { SeededRandom } from '../random.js';
import { RowBatcher } from './row-batcher.js';

/** Feeds rows [i, −i] for i < n and returns all batches. */
function run(n: number, batchSize: number, shuffleBuffer: number, dropRemainder = false, seed = 1): DataMatrix[] {
  const batcher = new RowBatcher(2, batchSize, shuffleBuffer, new SeededRandom(seed));
  const out: DataMatrix[] = [];
  for (let i = 0; i < n; i++) {
    const [target, offset] = batcher.rowTarget();
    target[offset] = i;
    target[offset + 1] = -i;
    batcher.commitRow();
    out.push(...batcher.takeReady());
  }
  batcher.finish(dropRemainder);
  out.push(...batcher.takeReady());
  return out;
}

const firsts = (batches: DataMatrix[]): number[] => batches.flatMap((b) => Array.from({ length: b.rows }, (_, r) => b.values[2 * r]!));

describe('RowBatcher', () => {
  it('without a buffer keeps the order, emits full batches as they fill, then the remainder', () => {
    const batches = run(10, 4, 0);
    expect(batches.map((b) => b.rows)).toEqual([4, 4, 2]);
    expect(firsts(batches)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new Set(batches.map((b) => b.values.buffer)).size).toBe(3); // each batch owns its memory
    expect(run(10, 4, 0, true).map((b) => b.rows)).toEqual([4, 4]);
  });

  it('with a buffer as large as the stream gives a seeded permutation with whole rows', () => {
    const batches = run(50, 7, 50);
    const order = firsts(batches);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(order).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(firsts(run(50, 7, 50))).toEqual(order);
    expect(firsts(run(50, 7, 50, false, 2))).not.toEqual(order);
    for (const b of batches) for (let r = 0; r < b.rows; r++) expect(b.values[2 * r + 1]).toBe(-b.values[2 * r]!);
  });

  it('with a small buffer moves rows only a bounded distance ahead', () => {
    const order = firsts(run(400, 16, 8));
    expect(order.length).toBe(400);
    order.forEach((row, position) => expect(row).toBeLessThanOrEqual(position + 8));
  });
});
