import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { makeTempDir } from '../test-support/temp-dir.js';
import { readCsv } from './read-csv.js';
import { TEXT_CHUNK_BYTES } from '../io/text-chunks.js';

const temp = makeTempDir('csv');
afterAll(() => temp.cleanup());

describe('readCsv', () => {
  it('reads a file and names it in errors', async () => {
    const path = temp.path('small.csv');
    writeFileSync(path, 'a,b\n1,2\n3,4');
    const m = await readCsv(path);
    expect(Array.from(m.values)).toEqual([1, 2, 3, 4]);
    expect(m.columnNames).toEqual(['a', 'b']);
    const bad = temp.path('bad.csv');
    writeFileSync(bad, 'a,b\n1,2\n3,x\n');
    await expect(readCsv(bad)).rejects.toThrow(`${bad}, line 3, column 2 ("b"): expected a finite decimal number, found "x"`);
  });

  it('reads rows that straddle chunk boundaries, with multi-byte characters', async () => {
    const path = temp.path('big.csv');
    const lines = ['"wärme°",b'];
    const n = Math.ceil((2.5 * TEXT_CHUNK_BYTES) / 24);
    for (let i = 0; i < n; i++) lines.push(`${i}.125,${-i}e-3`);
    writeFileSync(path, lines.join('\r\n') + '\r\n');
    const m = await readCsv(path);
    expect(m.rows).toBe(n);
    expect(m.columnNames).toEqual(['wärme°', 'b']);
    for (const i of [0, 1, 43690, 100_000, n - 1]) {
      expect(m.values[2 * i]).toBe(Math.fround(i + 0.125));
      expect(m.values[2 * i + 1]).toBe(Math.fround(Number(`${-i}e-3`)));
    }
  });

  it('reads gzip files', async () => {
    const path = temp.path('z.csv.gz');
    writeFileSync(path, gzipSync('1,2\n3,4\n'));
    expect(Array.from((await readCsv(path)).values)).toEqual([1, 2, 3, 4]);
    const broken = temp.path('broken.csv.gz');
    writeFileSync(broken, gzipSync('1,2\n3,4\n'.repeat(1000)).subarray(0, 40));
    await expect(readCsv(broken)).rejects.toThrow(/broken.csv.gz: corrupt or truncated gzip data|unexpected end of file/);
  });

  it('rejects empty and missing files clearly', async () => {
    const empty = temp.path('empty.csv');
    writeFileSync(empty, '');
    await expect(readCsv(empty)).rejects.toThrow(`${empty}: found no data (the file is empty or only blank lines)`);
    await expect(readCsv(temp.path('nope.csv'))).rejects.toThrow(/nope.csv: file not found/);
    await expect(readCsv(temp.dir)).rejects.toThrow(/is a directory/);
    await expect(readCsv('')).rejects.toThrow(/path: expected a non-empty file path/);
  });

  it('rejects a file without line breaks longer than the line limit', async () => {
    const path = temp.path('oneline.csv');
    writeFileSync(path, '1,'.repeat(9_000_000));
    await expect(readCsv(path)).rejects.toThrow(/line 1: line longer than 16777216 characters/);
  });

  it('stops reading after maxRows rows, also across chunks and in gzip files', async () => {
    const path = temp.path('limited.csv.gz');
    const good = Array.from({ length: 200_000 }, (_, i) => `${i},${i + 1}`).join('\n');
    writeFileSync(path, gzipSync(`${good}\n1,oops\n`));
    const m = await readCsv(path, { maxRows: 150_000 });
    expect([m.rows, m.values[2 * 149_999]]).toEqual([150_000, 149_999]);
    await expect(readCsv(path)).rejects.toThrow(/line 200001, column 2: expected a finite decimal number, found "oops"/);
  });

  it('recognises gzip data under a plain name and drops a byte-order mark', async () => {
    const misnamed = temp.path('misnamed.csv');
    writeFileSync(misnamed, gzipSync('1,2\n3,4\n'));
    expect(Array.from((await readCsv(misnamed)).values)).toEqual([1, 2, 3, 4]);
    const bom = temp.path('bom.csv');
    writeFileSync(bom, '\uFEFF1.5,2\n3,4\n');
    expect(Array.from((await readCsv(bom)).values)).toEqual([1.5, 2, 3, 4]);
  });
});
