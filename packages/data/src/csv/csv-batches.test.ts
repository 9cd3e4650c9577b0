import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { DataMatrix } from '../data-matrix.js';
import { makeTempDir } from '../test-support/temp-dir.js';
import { csvBatches } from './csv-batches.js';
import { readCsv } from './read-csv.js';

const temp = makeTempDir('batches');
afterAll(() => temp.cleanup());

/** A CSV with a header and `n` rows `i, 2i + 0.5, 100 − i`. */
function writeRows(name: string, n: number): string {
  const path = temp.path(name);
  const lines = ['a,b,c'];
  for (let i = 0; i < n; i++) lines.push(`${i},${2 * i + 0.5},${100 - i}`);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

async function collect(source: AsyncIterable<DataMatrix>): Promise<DataMatrix[]> {
  const out: DataMatrix[] = [];
  for await (const batch of source) out.push(batch);
  return out;
}

const firstColumn = (batches: DataMatrix[]): number[] => batches.flatMap((b) => Array.from({ length: b.rows }, (_, r) => b.values[r * b.cols]!));

describe('csvBatches', () => {
  it('streams the file in order as full batches plus a remainder, equal to readCsv', async () => {
    const path = writeRows('ordered.csv', 1000);
    const source = csvBatches(path, { batchSize: 64 });
    const batches = await collect(source);
    expect(batches.map((b) => b.rows)).toEqual([...new Array<number>(15).fill(64), 40]);
    expect(batches.every((b) => b.cols === 3)).toBe(true);
    const whole = await readCsv(path);
    const streamed = new Float32Array(batches.reduce((s, b) => s + b.values.length, 0));
    let offset = 0;
    for (const b of batches) {
      streamed.set(b.values, offset);
      offset += b.values.length;
    }
    expect(streamed).toEqual(whole.values);
    expect(source.columnNames).toEqual(['a', 'b', 'c']);
  });

  it('drops the remainder when asked and passes column options through', async () => {
    const path = writeRows('columns.csv', 100);
    const batches = await collect(csvBatches(path, { batchSize: 30, dropRemainder: true, columns: ['c', 'a'] }));
    expect(batches.map((b) => b.rows)).toEqual([30, 30, 30]);
    expect(Array.from(batches[0]!.values.subarray(0, 4))).toEqual([100, 0, 99, 1]);
  });

  it('with a shuffle buffer as large as the file, yields a seeded permutation of all rows', async () => {
    const path = writeRows('shuffle.csv', 500);
    const a = firstColumn(await collect(csvBatches(path, { batchSize: 50, shuffleBuffer: 500, seed: 4 })));
    const b = firstColumn(await collect(csvBatches(path, { batchSize: 50, shuffleBuffer: 500, seed: 4 })));
    const c = firstColumn(await collect(csvBatches(path, { batchSize: 50, shuffleBuffer: 500, seed: 5 })));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it('keeps rows intact when shuffling and draws a new order every epoch', async () => {
    const path = writeRows('epochs.csv', 300);
    const source = csvBatches(path, { batchSize: 128, shuffleBuffer: 64, seed: 1 });
    const first = await collect(source);
    const second = await collect(source);
    for (const batch of [...first, ...second]) {
      for (let r = 0; r < batch.rows; r++) {
        const i = batch.values[3 * r]!;
        expect([batch.values[3 * r + 1], batch.values[3 * r + 2]]).toEqual([2 * i + 0.5, 100 - i]);
      }
    }
    expect([...firstColumn(first)].sort((x, y) => x - y)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(firstColumn(first)).not.toEqual(firstColumn(second));
    // a small buffer only moves rows locally: row i cannot come out before position i − 64
    firstColumn(first).forEach((row, position) => expect(row).toBeLessThanOrEqual(position + 64));
  });

  it('reads gzip files and allows stopping early', async () => {
    const path = temp.path('z.csv.gz');
    writeFileSync(path, gzipSync('1,2\n3,4\n5,6\n'));
    expect(firstColumn(await collect(csvBatches(path, { batchSize: 2 })))).toEqual([1, 3, 5]);
    const big = writeRows('early.csv', 5000);
    let seen = 0;
    for await (const batch of csvBatches(big, { batchSize: 10 })) {
      seen += batch.rows;
      if (seen >= 20) break;
    }
    expect(seen).toBe(20);
  });

  it('raises the CSV errors with line and column when the bad line is reached', async () => {
    const path = temp.path('bad.csv');
    writeFileSync(path, 'x,y\n1,2\n3,4\n5,\n');
    await expect(collect(csvBatches(path, { batchSize: 1 }))).rejects.toThrow(
      `${path}, line 4, column 2 ("y"): missing value ""; missing values are not supported, remove or impute them`,
    );
    const empty = temp.path('empty.csv');
    writeFileSync(empty, 'a,b\n');
    await expect(collect(csvBatches(empty))).rejects.toThrow(`${empty}: found a header but no data rows`);
    await expect(collect(csvBatches(temp.path('nope.csv')))).rejects.toThrow(/nope.csv: file not found/);
  });

  it('stops the epoch after maxRows rows', async () => {
    const path = writeRows('limited.csv', 100);
    const batches = await collect(csvBatches(path, { batchSize: 16, maxRows: 40 }));
    expect(batches.map((b) => b.rows)).toEqual([16, 16, 8]);
    expect(firstColumn(batches)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    const shuffled = firstColumn(await collect(csvBatches(path, { batchSize: 16, maxRows: 40, shuffleBuffer: 100, seed: 2 })));
    expect([...shuffled].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('validates its options up front', () => {
    expect(() => csvBatches('x.csv', { batchSize: 0 })).toThrow('options.batchSize: expected an integer ≥ 1, got 0');
    expect(() => csvBatches('x.csv', { shuffleBuffer: -1 })).toThrow('options.shuffleBuffer: expected an integer ≥ 0, got -1');
    expect(() => csvBatches('x.csv', { delimiter: '' })).toThrow(/options.delimiter: expected a single character/);
    expect(() => csvBatches('')).toThrow('path: expected a non-empty file path, got ""');
    expect(() => csvBatches('x.csv', { maxRows: -3 })).toThrow('options.maxRows: expected an integer ≥ 1, got -3');
  });
});
