import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataMatrix } from '../data-matrix.js';
import { FORMAT_FIXTURES_DIR } from '../test-support/format-fixtures.js';
import { writeUint8Idx } from '../test-support/idx-writer.js';
import { makeTempDir } from '../test-support/temp-dir.js';
import { generateManifold } from '../synthetic/manifold.js';
import { generatePca } from '../synthetic/pca.js';
import { generateStreamingSegments } from '../synthetic/streaming-segments.js';
import { DATASET_SPECS, acceptedDatasetSpecs } from './dataset-specs.js';
import { loadDataset } from './load-dataset.js';
import { SYNTHETIC_DATASETS } from './synthetic-datasets.js';

const temp = makeTempDir('load');
afterAll(() => temp.cleanup());

function columnRange(m: DataMatrix, c: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let r = 0; r < m.rows; r++) {
    lo = Math.min(lo, m.values[r * m.cols + c]!);
    hi = Math.max(hi, m.values[r * m.cols + c]!);
  }
  return [lo, hi];
}

describe('loadDataset: synthetic sets', () => {
  it('defaults to synthetic:pca: 10 000 training + 10 000 held-out points of one model, seed 0', async () => {
    const loaded = await loadDataset();
    expect(loaded.name).toBe('synthetic:pca');
    expect([loaded.data.rows, loaded.data.cols, loaded.test?.rows]).toEqual([10_000, 10, 10_000]);
    const reference = generatePca({ n: 20_000, seed: 0 }).data.values;
    // Buffer.equals compares bytes: much faster than toEqual on 100 000-element typed arrays
    expect(Buffer.from(loaded.data.values.buffer).equals(Buffer.from(reference.buffer, 0, 400_000))).toBe(true);
    expect(Buffer.from(loaded.test!.values.buffer).equals(Buffer.from(reference.buffer, 400_000))).toBe(true);
    expect(loaded.description).toBe('synthetic:pca: 10000 × 10 training + 10000 held-out points, seed 0');
  });

  it('passes the seed to the generator', async () => {
    const a = await loadDataset('synthetic:pca', { seed: 5 });
    expect(Array.from(a.data.values.subarray(0, 20))).toEqual(Array.from(generatePca({ seed: 5 }).data.values.subarray(0, 20)));
    await expect(loadDataset('synthetic:pca', { seed: -1 })).rejects.toThrow(/options.seed: expected an integer ≥ 0, got -1/);
  });

  it.each(SYNTHETIC_DATASETS.filter((d) => !d.name.startsWith('pca') && d.name !== 'streaming').map((d) => d.name))(
    'synthetic:%s follows the paper pipeline: [0,1]-scaled, 50/50 seeded split',
    async (name) => {
      const loaded = await loadDataset(`synthetic:${name}:n=1001`, { seed: 2 });
      expect(loaded.name).toBe(`synthetic:${name}`);
      expect([loaded.data.rows, loaded.test!.rows]).toEqual([500, 501]);
      for (let c = 0; c < loaded.data.cols; c++) {
        const [lo1, hi1] = columnRange(loaded.data, c);
        const [lo2, hi2] = columnRange(loaded.test!, c);
        expect([Math.min(lo1, lo2), Math.max(hi1, hi2)]).toEqual([0, 1]);
      }
      const again = await loadDataset(`synthetic:${name}:n=1001`, { seed: 2 });
      expect(again.data.values).toEqual(loaded.data.values);
      const other = await loadDataset(`synthetic:${name}:n=1001`, { seed: 3 });
      expect(other.data.values).not.toEqual(loaded.data.values);
    },
  );

  it('accepts parameters and the paper spellings of names', async () => {
    const m = await loadDataset('synthetic:manifold:k=3,D=7,n=100');
    expect([m.data.cols, m.data.rows + m.test!.rows]).toEqual([7, 100]);
    // same points as the generator, min-max scaled: the pairwise structure survives (column 3 is a function of two base columns)
    expect(generateManifold({ n: 100, intrinsicDim: 3, dataDim: 7 }).data.cols).toBe(7);
    expect((await loadDataset('synthetic:swiss_roll:n=10')).name).toBe('synthetic:swiss-roll');
    expect((await loadDataset('synthetic:spiral_3D:n=10')).data.cols).toBe(3);
    expect((await loadDataset('synthetic:1Dgauss:n=10,noise=0.2')).data.cols).toBe(1);
    const pca = await loadDataset('synthetic:pca-ring:n=30,test=5,D=4,H=1');
    expect([pca.data.rows, pca.data.cols, pca.test!.rows]).toEqual([30, 4, 5]);
  });

  it('synthetic:streaming is the streaming-experiment stream in order, without a test part', async () => {
    const loaded = await loadDataset('synthetic:streaming:n=50,D=8', { seed: 4 });
    expect([loaded.data.rows, loaded.data.cols, loaded.test]).toEqual([150, 8, undefined]);
    expect(loaded.data.values).toEqual(generateStreamingSegments({ segmentLength: 50, dataDim: 8, seed: 4 }).data.values);
    expect(loaded.description).toBe('synthetic:streaming (n=50, D=8): 150 × 8 training points, seed 4');
  });

  it('rejects unknown names and bad parameters, listing what is accepted', async () => {
    await expect(loadDataset('synthetic:nope')).rejects.toThrow(/spec: expected synthetic:<name> with a name among pca, pca-ring, circle, 8gauss, .*manifold, streaming, got "synthetic:nope"/);
    await expect(loadDataset('synthetic:circle:k=3')).rejects.toThrow(/spec: expected parameters among n \(.*\), noise \(.*\), got "k" in "synthetic:circle:k=3"/);
    await expect(loadDataset('synthetic:circle:n=abc')).rejects.toThrow(/spec: expected a finite number after "n=", got "abc"/);
    await expect(loadDataset('synthetic:circle:n=5,n=6')).rejects.toThrow(/each parameter at most once/);
    await expect(loadDataset('synthetic:circle:n=2.5')).rejects.toThrow('spec: expected n (points before the 50/50 split, default 50000) to be an integer ≥ 1, got "2.5" in "synthetic:circle:n=2.5"');
    await expect(loadDataset('synthetic:manifold:k=5,D=5')).rejects.toThrow(/options.dataDim: expected an integer > intrinsicDim \(5\)/);
  });
});

describe('loadDataset: files', () => {
  it('loads a CSV file, with CSV options', async () => {
    const path = temp.path('d.csv');
    writeFileSync(path, 'a,b\n1,2\n3,4\n');
    const loaded = await loadDataset(path);
    expect(Array.from(loaded.data.values)).toEqual([1, 2, 3, 4]);
    expect(loaded.description).toContain('2 × 2');
    expect(Array.from((await loadDataset(path, { csv: { dropColumns: ['a'] } })).data.values)).toEqual([2, 4]);
  });

  it('loads NPY files: floats as stored, uint8 scaled to [0, 1], flattened per data point', async () => {
    const f32 = await loadDataset(join(FORMAT_FIXTURES_DIR, 'float32-3x4.npy'));
    expect([f32.data.rows, f32.data.cols]).toEqual([3, 4]);
    expect(f32.description).toMatch(/3 × 4 from NPY \(float32, shape \[3, 4\]\)/);
    const u8 = await loadDataset(join(FORMAT_FIXTURES_DIR, 'uint8-2x2x3.npy'));
    expect([u8.data.rows, u8.data.cols]).toEqual([2, 6]);
    expect(Math.max(...u8.data.values)).toBeLessThanOrEqual(1);
    const empty = join(FORMAT_FIXTURES_DIR, 'float32-empty-0x3.npy');
    await expect(loadDataset(empty)).rejects.toThrow(`${empty}: holds no data (shape [0, 3])`);
    const fortran = join(FORMAT_FIXTURES_DIR, 'float32-fortran-2x3.npy');
    await expect(loadDataset(fortran)).rejects.toThrow(/Fortran-order arrays are not supported/);
  });

  it('loads IDX files by extension and by MNIST-style names, gzip included', async () => {
    const gz = await loadDataset(join(FORMAT_FIXTURES_DIR, 'images-uint8-3x4x5.idx.gz'));
    expect([gz.data.rows, gz.data.cols]).toEqual([3, 20]);
    const named = temp.path('train-images-idx3-ubyte');
    writeUint8Idx(named, [2, 1, 2], [0, 255, 51, 102]);
    expect(Array.from((await loadDataset(named)).data.values)).toEqual([0, 1, 0.2, 0.4].map(Math.fround));
    const labels = await loadDataset(join(FORMAT_FIXTURES_DIR, 'labels-uint8-7.idx'));
    expect([labels.data.rows, labels.data.cols]).toEqual([7, 1]);
  });

  it('rejects unknown specs listing the accepted ones', async () => {
    await expect(loadDataset('data.xlsx')).rejects.toThrow(/spec: expected one of synthetic:pca, .*<path>.csv\[.gz\], <path>.npy\[.gz\].*, got "data.xlsx"/);
    await expect(loadDataset('  ')).rejects.toThrow(/spec: expected a data set spec/);
    await expect(loadDataset(temp.path('missing.npy'))).rejects.toThrow(/missing.npy: file not found/);
  });
});

describe('loadDataset: MNIST-format sets', () => {
  /** Writes the four MNIST files (n training and m test images of 2 × 3 pixels) into `dir`. */
  function writeMnistLike(dir: string, n: number, m: number, gz: boolean): void {
    mkdirSync(dir, { recursive: true });
    const ext = gz ? '.gz' : '';
    writeUint8Idx(join(dir, `train-images-idx3-ubyte${ext}`), [n, 2, 3], Array.from({ length: n * 6 }, (_, i) => (i * 17) % 256));
    writeUint8Idx(join(dir, `train-labels-idx1-ubyte${ext}`), [n], Array.from({ length: n }, (_, i) => i % 10));
    writeUint8Idx(join(dir, `t10k-images-idx3-ubyte${ext}`), [m, 2, 3], Array.from({ length: m * 6 }, () => 255));
    writeUint8Idx(join(dir, `t10k-labels-idx1-ubyte${ext}`), [m], Array.from({ length: m }, (_, i) => 9 - (i % 10)));
  }

  it('reads mnist from dataDir (or dataDir/mnist) with pixels in [0, 1] and labels', async () => {
    writeMnistLike(join(temp.dir, 'mnist'), 12, 4, true);
    const loaded = await loadDataset('mnist', { dataDir: temp.dir });
    expect([loaded.data.rows, loaded.data.cols, loaded.test!.rows]).toEqual([12, 6, 4]);
    expect(loaded.data.values[1]).toBe(Math.fround(17 / 255));
    expect(Array.from(loaded.test!.values.subarray(0, 3))).toEqual([1, 1, 1]);
    expect(Array.from(loaded.labels!.subarray(0, 3))).toEqual([0, 1, 2]);
    expect(Array.from(loaded.testLabels!)).toEqual([9, 8, 7, 6]);
    expect(loaded.description).toBe(`mnist: 12 × 6 training + 4 test images in [0,1] from ${join(temp.dir, 'mnist')}`);
  });

  it('reads fashion-mnist from the Debian location when no dataDir has it', async () => {
    const debian = join(temp.dir, 'debian-fashion');
    writeMnistLike(debian, 5, 3, false);
    const loaded = await loadDataset('fashion-mnist', { debianFashionMnistDir: debian });
    expect([loaded.data.rows, loaded.test!.rows]).toEqual([5, 3]);
    const own = join(temp.dir, 'own');
    writeMnistLike(own, 7, 2, true);
    expect((await loadDataset('fashion-mnist', { dataDir: own, debianFashionMnistDir: debian })).data.rows).toBe(7);
  });

  it('says where it looked and how to get the files when they are missing', async () => {
    const none = join(temp.dir, 'nothing-here');
    await expect(loadDataset('fashion-mnist', { debianFashionMnistDir: none })).rejects.toThrow(
      `fashion-mnist: IDX files not found (looked in ${none} (none of them)); install Debian's package (apt-get install -y dataset-fashion-mnist`,
    );
    await expect(loadDataset('mnist')).rejects.toThrow(/mnist: IDX files not found \(no --data-dir given\); Debian has no MNIST package; download the four files train-images-idx3-ubyte/);
    const partial = join(temp.dir, 'partial');
    writeMnistLike(partial, 2, 2, false);
    writeFileSync(join(partial, 't10k-labels-idx1-ubyte'), '');
    await expect(loadDataset('mnist', { dataDir: partial })).rejects.toThrow(/t10k-labels-idx1-ubyte: not an IDX file: 0 bytes/);
  });

  it('rejects label files that do not match the images', async () => {
    const dir = join(temp.dir, 'mismatch');
    writeMnistLike(dir, 4, 2, false);
    writeUint8Idx(join(dir, 'train-labels-idx1-ubyte'), [3], [1, 2, 3]);
    await expect(loadDataset('mnist', { dataDir: dir })).rejects.toThrow(/train-labels-idx1-ubyte: expected 4 labels \(one per image\), found 3/);
  });
});

describe('DATASET_SPECS', () => {
  it('lists every synthetic set, the MNIST sets and the file types, each with a description', () => {
    const specs = DATASET_SPECS.map((d) => d.spec);
    for (const d of SYNTHETIC_DATASETS) expect(specs).toContain(`synthetic:${d.name}`);
    expect(specs).toEqual(expect.arrayContaining(['mnist', 'fashion-mnist', '<path>.csv[.gz]', '<path>.npy[.gz]']));
    expect(DATASET_SPECS.every((d) => d.description.length > 10 && !d.description.includes('\n'))).toBe(true);
    expect(acceptedDatasetSpecs()).toEqual(specs);
  });
});
