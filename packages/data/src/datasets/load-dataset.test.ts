import { writeFileSync } from 'node:fs';
import { makeTempDir } from '../test-support/temp-dir.js';
import { generatePca } from '../synthetic/pca.js';
import { loadDataset } from './load-dataset.js';

const temp = makeTempDir('load');
afterAll(() => temp.cleanup());

describe('loadDataset', () => {
  it('defaults to synthetic:pca with 10 000 points and seed 0', async () => {
    const loaded = await loadDataset();
    expect(loaded.name).toBe('synthetic:pca');
    expect([loaded.data.rows, loaded.data.cols]).toEqual([10_000, 10]);
    expect(Array.from(loaded.data.values.subarray(0, 20))).toEqual(Array.from(generatePca({ seed: 0 }).data.values.subarray(0, 20)));
    expect(loaded.description).toMatch(/10000 × 10/);
  });

  it('passes the seed to the generator', async () => {
    const a = await loadDataset('synthetic:pca', { seed: 5 });
    expect(Array.from(a.data.values.subarray(0, 20))).toEqual(Array.from(generatePca({ seed: 5 }).data.values.subarray(0, 20)));
    await expect(loadDataset('synthetic:pca', { seed: -1 })).rejects.toThrow(/options.seed: expected an integer ≥ 0, got -1/);
  });

  it('loads a CSV file', async () => {
    const path = temp.path('d.csv');
    writeFileSync(path, 'a,b\n1,2\n3,4\n');
    const loaded = await loadDataset(path);
    expect(Array.from(loaded.data.values)).toEqual([1, 2, 3, 4]);
    expect(loaded.description).toContain('2 × 2');
  });

  it('rejects unknown specs listing the accepted ones', async () => {
    await expect(loadDataset('synthetic:nope')).rejects.toThrow(/spec: expected one of synthetic:pca.*<path>.csv.*, got "synthetic:nope"/);
    await expect(loadDataset('data.xlsx')).rejects.toThrow(/spec: expected one of .*got "data.xlsx"/);
    await expect(loadDataset('  ')).rejects.toThrow(/spec: expected a data set spec/);
  });
});
