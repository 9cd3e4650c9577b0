// The data defects of issue 14, each reproduced: every one must give one clear error (or the right data).
import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { csvBatches } from './csv/csv-batches.js';
import { parseCsv } from './csv/parse-csv.js';
import { readCsv } from './csv/read-csv.js';
import type { DataMatrix } from './data-matrix.js';
import { loadDataset } from './datasets/load-dataset.js';
import { DataFormatError, InvalidArgumentError } from './errors.js';
import { readIdx } from './formats/idx-file.js';
import { npyBatches } from './formats/npy-batches.js';
import { readNpy } from './formats/npy-file.js';
import { npyFileBytes } from './test-support/npy-writer.js';
import { makeTempDir } from './test-support/temp-dir.js';

const temp = makeTempDir('defects');
afterAll(() => temp.cleanup());

async function collect(source: AsyncIterable<DataMatrix>): Promise<DataMatrix[]> {
  const out: DataMatrix[] = [];
  for await (const batch of source) out.push(batch);
  return out;
}

describe('CSV values beyond float32 (they loaded as ±Infinity)', () => {
  const text = 'a,b\n1,2\n3,-4e38\n';
  const message = /line 3, column 2 \("b"\): "-4e38" is beyond the float32 range/;

  it('parseCsv, readCsv and csvBatches name the line and column', async () => {
    expect(() => parseCsv(text)).toThrow(DataFormatError);
    expect(() => parseCsv(text)).toThrow(message);
    const path = temp.path('big.csv');
    writeFileSync(path, text);
    await expect(readCsv(path)).rejects.toThrow(message);
    await expect(collect(csvBatches(path, { batchSize: 1 }))).rejects.toThrow(message);
  });

  it('still accepts the largest float32 and values that round into range', () => {
    expect(Array.from(parseCsv('3.4028234e38,-3.4028235e38\n').values)).toEqual([3.4028234663852886e38, -3.4028234663852886e38]);
  });
});

describe('a uint8 .npy streamed with npyBatches is scaled like loadDataset (it stayed 0–255)', () => {
  it('gives the same [0, 1] rows as loadDataset, and raw values on request', async () => {
    const path = temp.path('pixels.npy');
    writeFileSync(path, npyFileBytes('|u1', [3, 2], Uint8Array.from([0, 255, 17, 128, 3, 250])));
    const loaded = await loadDataset(path);
    const streamed = await collect(npyBatches(path, { batchSize: 3 }));
    expect(streamed).toHaveLength(1);
    expect(Array.from(streamed[0]!.values)).toEqual(Array.from(loaded.data.values));
    expect(Math.max(...streamed[0]!.values)).toBe(1);
    const raw = await collect(npyBatches(path, { batchSize: 3, uint8: 'raw' }));
    expect(Array.from(raw[0]!.values)).toEqual(Array.from((await readNpy(path)).values));
    expect(() => npyBatches(path, { uint8: 'bytes' as 'raw' })).toThrow(/options.uint8: expected 'unit' or 'raw', got "bytes"/);
  });
});

describe('device files and symlink loops', () => {
  const haveDevZero = existsSync('/dev/zero');
  (haveDevZero ? it : it.skip)('refuses /dev/zero behind a .idx/.npy/.csv symlink instead of reading it without bound', async () => {
    for (const name of ['zero.idx', 'zero.npy', 'zero.csv']) symlinkSync('/dev/zero', temp.path(name));
    const message = /is a character device, expected a regular data file/;
    await expect(readIdx(temp.path('zero.idx'))).rejects.toThrow(message);
    await expect(loadDataset(temp.path('zero.idx'))).rejects.toThrow(message);
    await expect(readNpy(temp.path('zero.npy'))).rejects.toThrow(message);
    await expect(collect(npyBatches(temp.path('zero.npy')))).rejects.toThrow(message);
    await expect(readCsv(temp.path('zero.csv'))).rejects.toThrow(message);
    await expect(collect(csvBatches(temp.path('zero.csv')))).rejects.toThrow(message);
  });

  it('reports a symlink loop (ELOOP) as a data error naming the file', async () => {
    symlinkSync(temp.path('loop-b.idx'), temp.path('loop-a.idx'));
    symlinkSync(temp.path('loop-a.idx'), temp.path('loop-b.idx'));
    const error = await loadDataset(temp.path('loop-a.idx')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFormatError);
    expect((error as Error).message).toBe(`${temp.path('loop-a.idx')}: too many levels of symbolic links (a symlink loop?)`);
    await expect(collect(csvBatches(temp.path('loop-a.idx')))).rejects.toThrow(DataFormatError);
  });
});

describe('synthetic spec parameters are validated before generating', () => {
  it.each([
    ['synthetic:pca:n=-5', /spec: expected n \(training points, default 10000\) to be an integer ≥ 1, got "-5" in "synthetic:pca:n=-5"/],
    ['synthetic:pca:n=2.5', /n \(training points, default 10000\) to be an integer ≥ 1, got "2.5"/],
    ['synthetic:pca:D=0', /D \(data dimension, default 10\) to be an integer ≥ 1, got "0"/],
    ['synthetic:pca:noise=-0.1', /noise \(σ_gen, default 0.1\) to be a finite number ≥ 0, got "-0.1"/],
    ['synthetic:circle:n=1e300', /n \(points before the 50\/50 split, default 50000\) to be an integer ≥ 1, got "1e300"/],
    ['synthetic:manifold:k=0', /k \(intrinsic dimension, default 10\) to be an integer ≥ 1/],
  ])('%s', async (spec, message) => {
    await expect(loadDataset(spec)).rejects.toThrow(InvalidArgumentError);
    await expect(loadDataset(spec)).rejects.toThrow(message);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('refuses %s=1 as an unknown parameter (it was accepted through `in`)', async (key) => {
    await expect(loadDataset(`synthetic:pca:${key}=1`)).rejects.toThrow(`spec: expected parameters among n (training points, default 10000)`);
    await expect(loadDataset(`synthetic:pca:${key}=1`)).rejects.toThrow(`got "${key}" in "synthetic:pca:${key}=1"`);
  });
});
