import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataFormatError } from '../errors.js';
import { FORMAT_FIXTURES_DIR, fixtureBytes, loadFormatExpectations } from '../test-support/format-fixtures.js';
import { makeTempDir } from '../test-support/temp-dir.js';
import { parseNpy } from './npy.js';
import { readNpy } from './npy-file.js';

const expectations = Object.entries(loadFormatExpectations()).filter(([name]) => name.endsWith('.npy'));
const temp = makeTempDir('npy');
afterAll(() => temp.cleanup());

/** An NPY version 1.0 file with the given header dict text and data bytes (header padded to 64 bytes). */
function npyBytes(dict: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  let header = `${dict} `;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

describe('parseNpy on files written by NumPy', () => {
  it.each(expectations)('%s', (name, expected) => {
    if (expected.accept) {
      const array = parseNpy(fixtureBytes(name), name);
      expect(array.dataType).toBe(expected.dtype);
      expect([...array.shape]).toEqual(expected.shape);
      expect(Array.from(array.values)).toEqual(expected.values.map(Math.fround));
    } else {
      expect(() => parseNpy(fixtureBytes(name), name)).toThrow(DataFormatError);
      expect(() => parseNpy(fixtureBytes(name), name)).toThrow(expected.reason);
    }
  });

  it('names the file and suggests the fix for Fortran order and other dtypes', () => {
    expect(() => parseNpy(fixtureBytes('float32-fortran-2x3.npy'), 'f.npy')).toThrow(
      'f.npy, header: Fortran-order arrays are not supported (shape (2, 3)); save a C-order copy with np.save(path, np.ascontiguousarray(a))',
    );
    expect(() => parseNpy(fixtureBytes('int64-2.npy'), 'i.npy')).toThrow(`i.npy, header: unsupported dtype "<i8"; supported: float32 ('<f4'), float64 ('<f8'), uint8 ('|u1')`);
  });
});

describe('parseNpy on broken bytes', () => {
  const good = fixtureBytes('float32-3x4.npy');

  it('rejects wrong magic, versions and truncated headers', () => {
    expect(() => parseNpy(new Uint8Array([1, 2, 3]))).toThrow('<bytes>, byte 0: not an NPY file: it does not start with the magic string "\\x93NUMPY"');
    const v9 = good.slice();
    v9[6] = 9;
    expect(() => parseNpy(v9)).toThrow('unsupported NPY format version 9.0; expected 1.x, 2.x or 3.x');
    expect(() => parseNpy(good.subarray(0, 50))).toThrow(/truncated NPY header: it declares 118 header bytes, the file has 40/);
  });

  it('rejects truncated data and trailing bytes with the byte counts', () => {
    expect(() => parseNpy(good.subarray(0, good.length - 1), 'a.npy')).toThrow(
      'a.npy: truncated: shape (3, 4) of float32 needs 48 data bytes after the 128-byte header, the file has 47',
    );
    const longer = new Uint8Array(good.length + 4);
    longer.set(good);
    expect(() => parseNpy(longer)).toThrow(/trailing bytes after the data: shape \(3, 4\)/);
  });

  it('rejects malformed header dicts', () => {
    expect(() => parseNpy(npyBytes("'descr': '<f4'"))).toThrow(/malformed NPY header .*expected a Python dict literal/);
    expect(() => parseNpy(npyBytes("{'fortran_order': False, 'shape': (1,), }"))).toThrow(/NPY header without a 'descr' entry/);
    expect(() => parseNpy(npyBytes("{'descr': '<f4', 'shape': (1,), }"))).toThrow(/NPY header without 'fortran_order'/);
    expect(() => parseNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, }"))).toThrow(/NPY header without a 'shape' tuple/);
    expect(() => parseNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }"))).toThrow(/invalid NPY shape entry "-1"/);
    expect(() => parseNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }"))).toThrow(/shape \(100000, 100000\) is too large to load/);
  });

  it('parses a hand-written header with a scalar shape and rejects non-bytes', () => {
    const scalar = parseNpy(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", new Uint8Array(new Float64Array([2.5]).buffer)));
    expect([...scalar.shape]).toEqual([]);
    expect(Array.from(scalar.values)).toEqual([2.5]);
    expect(() => parseNpy('abc' as unknown as Uint8Array)).toThrow('bytes: expected a Uint8Array, got "abc"');
  });
});

describe('readNpy', () => {
  it('reads plain and gzip files and names the path in errors', async () => {
    const plain = await readNpy(join(FORMAT_FIXTURES_DIR, 'uint8-2x2x3.npy'));
    expect([...plain.shape]).toEqual([2, 2, 3]);
    const gz = temp.path('u.npy.gz');
    writeFileSync(gz, gzipSync(fixtureBytes('uint8-2x2x3.npy')));
    expect(Array.from((await readNpy(gz)).values)).toEqual(Array.from(plain.values));
    const missing = temp.path('missing.npy');
    await expect(readNpy(missing)).rejects.toThrow(`${missing}: file not found`);
    const broken = temp.path('broken.npy.gz');
    writeFileSync(broken, gzipSync(fixtureBytes('uint8-2x2x3.npy')).subarray(0, 20));
    await expect(readNpy(broken)).rejects.toThrow(/broken.npy.gz: corrupt or truncated gzip data/);
  });
});
