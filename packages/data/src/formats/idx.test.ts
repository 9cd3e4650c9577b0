import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataFormatError } from '../errors.js';
import { FORMAT_FIXTURES_DIR, fixtureBytes, loadFormatExpectations } from '../test-support/format-fixtures.js';
import { makeTempDir } from '../test-support/temp-dir.js';
import { parseIdx } from './idx.js';
import { readIdx } from './idx-file.js';

const expectations = Object.entries(loadFormatExpectations()).filter(([name]) => name.endsWith('.idx'));
const temp = makeTempDir('idx');
afterAll(() => temp.cleanup());

describe('parseIdx on files written from NumPy arrays', () => {
  it.each(expectations)('%s', (name, expected) => {
    if (!expected.accept) throw new Error('all IDX fixtures are valid');
    const array = parseIdx(fixtureBytes(name), name);
    expect(array.dataType).toBe(expected.dtype);
    expect([...array.shape]).toEqual(expected.shape);
    expect(Array.from(array.values)).toEqual(expected.values.map(Math.fround));
  });
});

describe('parseIdx on broken bytes', () => {
  const good = fixtureBytes('images-uint8-3x4x5.idx');

  it('rejects short files, wrong magic (hinting at gzip), unknown types and rank 0', () => {
    expect(() => parseIdx(new Uint8Array([0, 0]), 'x.idx')).toThrow('x.idx: not an IDX file: 2 bytes, shorter than the 4-byte magic number');
    expect(() => parseIdx(new Uint8Array([1, 0, 8, 1]))).toThrow('<bytes>, byte 0: not an IDX file: magic starts with 0x01 0x00, expected 0x00 0x00');
    expect(() => parseIdx(gzipSync(good))).toThrow(/this looks like gzip data: give the file a .gz name/);
    expect(() => parseIdx(new Uint8Array([0, 0, 0x0a, 1]))).toThrow(/byte 2: unknown IDX type byte 0x0a/);
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 0]))).toThrow(/byte 3: IDX arrays need at least one dimension, found 0/);
  });

  it('rejects truncated headers, truncated data and trailing bytes with the byte counts', () => {
    expect(() => parseIdx(good.subarray(0, 10))).toThrow('<bytes>: truncated IDX header: 3 dimensions need 16 header bytes, the file has 10');
    expect(() => parseIdx(good.subarray(0, good.length - 1))).toThrow(
      '<bytes>: truncated: shape [3, 4, 5] of uint8 needs 76 bytes (16 header + 60 data), the file has 75',
    );
    const longer = new Uint8Array(good.length + 1);
    longer.set(good);
    expect(() => parseIdx(longer)).toThrow(/trailing bytes after the data/);
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 2, 255, 255, 255, 255, 255, 255, 255, 255]))).toThrow(/is too large to load/);
  });

  it('rejects non-finite floats', () => {
    const bytes = new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 2, 0x3f, 0x80, 0, 0, 0x7f, 0xc0, 0, 0]);
    expect(() => parseIdx(bytes, 'n.idx')).toThrow('n.idx, value 1 (flat index): expected finite numbers, found NaN; clean the file first');
    expect(() => parseIdx(bytes)).toThrow(DataFormatError);
  });
});

describe('readIdx', () => {
  it('reads plain and gzip files, also gzip data under a plain name', async () => {
    const plain = await readIdx(join(FORMAT_FIXTURES_DIR, 'images-uint8-3x4x5.idx'));
    const gz = await readIdx(join(FORMAT_FIXTURES_DIR, 'images-uint8-3x4x5.idx.gz'));
    expect(Array.from(gz.values)).toEqual(Array.from(plain.values));
    const misnamed = temp.path('images.idx');
    writeFileSync(misnamed, gzipSync(fixtureBytes('images-uint8-3x4x5.idx')));
    expect(Array.from((await readIdx(misnamed)).values)).toEqual(Array.from(plain.values));
  });

  it('names the path in errors', async () => {
    await expect(readIdx(temp.path('none.idx'))).rejects.toThrow(/none.idx: file not found/);
    await expect(readIdx(temp.dir)).rejects.toThrow(/is a directory, expected a regular data file/);
    const bomb = temp.path('bomb.idx.gz');
    writeFileSync(bomb, Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    await expect(readIdx(bomb)).rejects.toThrow(/bomb.idx.gz: corrupt or truncated gzip data/);
  });
});
