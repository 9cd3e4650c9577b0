import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataMatrix } from '../data-matrix.js';
import { FORMAT_FIXTURES_DIR, fixtureBytes } from '../test-support/format-fixtures.js';
import { npyFileBytes, writeFloat32Npy } from '../test-support/npy-writer.js';
import { makeTempDir } from '../test-support/temp-dir.js';
import { npyBatches } from './npy-batches.js';
import { readNpy } from './npy-file.js';

const temp = makeTempDir('npy-batches');
afterAll(() => temp.cleanup());

async function collect(source: AsyncIterable<DataMatrix>): Promise<DataMatrix[]> {
  const out: DataMatrix[] = [];
  for await (const batch of source) out.push(batch);
  return out;
}

function concat(batches: DataMatrix[]): number[] {
  return batches.flatMap((b) => Array.from(b.values));
}

/** n rows of 3 columns: row i = [i, i + 0.25, −i]. */
function writeRows(name: string, n: number): string {
  const path = temp.path(name);
  writeFloat32Npy(path, [n, 3], Array.from({ length: 3 * n }, (_, k) => [Math.floor(k / 3), Math.floor(k / 3) + 0.25, -Math.floor(k / 3)][k % 3]!));
  return path;
}

describe('npyBatches', () => {
  it.each(['float32-3x4.npy', 'float64-2x3.npy', 'uint8-2x2x3.npy', 'float64-big-endian-4.npy', 'float32-version2-2x2.npy', 'float32-fortran-3x1.npy'])(
    'streams the NumPy-written %s to the same values as readNpy',
    async (name) => {
      const path = join(FORMAT_FIXTURES_DIR, name);
      const whole = await readNpy(path);
      const source = npyBatches(path, { batchSize: 2, chunkBytes: 7, uint8: 'raw' });
      const batches = await collect(source);
      expect(concat(batches)).toEqual(Array.from(whole.values));
      expect(batches.every((b) => b.cols === whole.shape.slice(1).reduce((a, c) => a * c, 1))).toBe(true);
      expect(source.header?.shape).toEqual([...whole.shape]);
    },
  );

  it('streams across read chunks in order, with a remainder batch or without', async () => {
    const path = writeRows('rows.npy', 1000);
    const batches = await collect(npyBatches(path, { batchSize: 64, chunkBytes: 1000 }));
    expect(batches.map((b) => b.rows)).toEqual([...new Array<number>(15).fill(64), 40]);
    expect(batches.flatMap((b) => Array.from({ length: b.rows }, (_, r) => b.values[3 * r]!))).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect((await collect(npyBatches(path, { batchSize: 64, dropRemainder: true }))).length).toBe(15);
    expect((await collect(npyBatches(path, { batchSize: 64, maxRows: 100 }))).map((b) => b.rows)).toEqual([64, 36]);
  });

  it('shuffles with a seeded buffer, whole rows, a new order per epoch', async () => {
    const path = writeRows('shuffle.npy', 300);
    const source = npyBatches(path, { batchSize: 50, shuffleBuffer: 300, seed: 3 });
    const first = await collect(source);
    const second = await collect(source);
    const order = (batches: DataMatrix[]) => batches.flatMap((b) => Array.from({ length: b.rows }, (_, r) => b.values[3 * r]!));
    expect([...order(first)].sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(order(first)).not.toEqual(order(second));
    expect(order(await collect(npyBatches(path, { batchSize: 50, shuffleBuffer: 300, seed: 3 })))).toEqual(order(first));
    for (const b of first) for (let r = 0; r < b.rows; r++) expect([b.values[3 * r + 1], b.values[3 * r + 2]]).toEqual([b.values[3 * r]! + 0.25, -b.values[3 * r]!]);
  });

  it('rejects what it cannot stream, naming the file', async () => {
    const fortran = join(FORMAT_FIXTURES_DIR, 'float32-fortran-2x3.npy');
    await expect(collect(npyBatches(fortran))).rejects.toThrow(/Fortran-order arrays are not supported/);
    await expect(collect(npyBatches(join(FORMAT_FIXTURES_DIR, 'int64-2.npy')))).rejects.toThrow(/unsupported dtype "<i8"/);
    await expect(collect(npyBatches(join(FORMAT_FIXTURES_DIR, 'float64-nan-3.npy')))).rejects.toThrow(/value 1 \(flat index\): expected finite numbers, found NaN/);
    await expect(collect(npyBatches(join(FORMAT_FIXTURES_DIR, 'float32-empty-0x3.npy')))).rejects.toThrow(/holds no data \(shape \(0, 3\)\)/);
    const truncated = temp.path('truncated.npy');
    const good = fixtureBytes('float32-3x4.npy');
    writeFileSync(truncated, good.subarray(0, good.length - 4));
    await expect(collect(npyBatches(truncated))).rejects.toThrow(`${truncated}: truncated: shape (3, 4) of float32 needs 48 data bytes after the 128-byte header, the file has 44`);
    const scalar = temp.path('scalar.npy');
    writeFileSync(scalar, npyFileBytes('<f4', [], new Uint8Array(4)));
    await expect(collect(npyBatches(scalar))).rejects.toThrow(/holds a scalar/);
    const bogus = temp.path('bogus.npy');
    writeFileSync(bogus, Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0xff, 0xff]));
    await expect(collect(npyBatches(bogus))).rejects.toThrow(/truncated or corrupt NPY header: it ends at byte 65545, the file has 10 bytes/);
    await expect(collect(npyBatches(temp.path('none.npy')))).rejects.toThrow(/none.npy: file not found/);
    await expect(collect(npyBatches(temp.dir))).rejects.toThrow(/is a directory, expected a regular data file/);
    expect(() => npyBatches('x.npy.gz')).toThrow(/path: expected a plain .npy file \(gzip cannot be streamed at an offset/);
    expect(() => npyBatches('x.npy', { batchSize: 0 })).toThrow('options.batchSize: expected an integer ≥ 1, got 0');
    expect(() => npyBatches('x.npy', { maxRows: 0 })).toThrow('options.maxRows: expected an integer ≥ 1, got 0');
  });
});
