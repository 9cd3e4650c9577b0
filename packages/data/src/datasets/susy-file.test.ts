import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { makeTempDir } from '../test-support/temp-dir.js';
import { loadDataset } from './load-dataset.js';

const temp = makeTempDir('susy');
afterAll(() => temp.cleanup());

/** A SUSY look-alike: no header, a 0/1 label, then 18 features; row i has feature j = i + j/100. */
function writeSusyLike(dir: string, rows: number, features = 18): void {
  mkdirSync(dir, { recursive: true });
  const lines = Array.from({ length: rows }, (_, i) => [String(i % 2), ...Array.from({ length: features }, (_, j) => (i + j / 100).toFixed(2))].join(','));
  writeFileSync(join(dir, 'SUSY.csv.gz'), gzipSync(lines.join('\n') + '\n'));
}

describe('loadDataset("susy")', () => {
  it('follows the paper: label dropped, 18 features min-max scaled to [0, 1], seeded 50/50 split', async () => {
    writeSusyLike(temp.dir, 101);
    const loaded = await loadDataset('susy', { dataDir: temp.dir, seed: 3 });
    expect([loaded.data.rows, loaded.data.cols, loaded.test!.rows]).toEqual([50, 18, 51]);
    // every feature column is i/100 after scaling, whatever j: the first column of a row tells its index
    const all = [...Array.from({ length: 50 }, (_, r) => loaded.data.values.subarray(18 * r, 18 * r + 18)), ...Array.from({ length: 51 }, (_, r) => loaded.test!.values.subarray(18 * r, 18 * r + 18))];
    const indices = all.map((row) => Math.round(row[0]! * 100)).sort((a, b) => a - b);
    expect(indices).toEqual(Array.from({ length: 101 }, (_, i) => i));
    expect(all.every((row) => row.every((v) => Math.abs(v - row[0]!) < 1e-6))).toBe(true);
    expect(loaded.description).toMatch(/^susy: 50 × 18 training \+ 51 held-out rows of .*SUSY.csv.gz \(first 101 rows, label dropped/);
    const other = await loadDataset('susy', { dataDir: temp.dir, seed: 4 });
    expect(Array.from(other.data.values)).not.toEqual(Array.from(loaded.data.values));
  });

  it('reads only the first rows when asked, also from dataDir/susy', async () => {
    const dir = join(temp.dir, 'nested');
    writeSusyLike(join(dir, 'susy'), 40);
    const loaded = await loadDataset('susy:rows=10', { dataDir: dir });
    expect([loaded.data.rows, loaded.test!.rows]).toEqual([5, 5]);
    expect(Math.max(...loaded.data.values, ...loaded.test!.values)).toBe(1);
  });

  it('says how to get the file, and rejects files of another shape', async () => {
    await expect(loadDataset('susy')).rejects.toThrow(/susy: no --data-dir given; download SUSY.csv.gz from the UCI Machine Learning Repository/);
    const empty = join(temp.dir, 'empty');
    mkdirSync(empty);
    await expect(loadDataset('susy', { dataDir: empty })).rejects.toThrow(`susy: none of SUSY.csv.gz, SUSY.csv, susy.csv.gz, susy.csv in ${empty} or ${join(empty, 'susy')}`);
    const wide = join(temp.dir, 'wide');
    writeSusyLike(wide, 5, 20);
    await expect(loadDataset('susy', { dataDir: wide })).rejects.toThrow(/SUSY.csv.gz: expected 19 columns \(a label and 18 features\), found 21/);
    await expect(loadDataset('susy:rows=1', { dataDir: temp.dir })).rejects.toThrow('spec: expected rows (rows read from the top of the file, default 2500000) to be an integer ≥ 2, got "1" in "susy:rows=1"');
    await expect(loadDataset('susy:n=5', { dataDir: temp.dir })).rejects.toThrow(/spec: expected parameters among rows/);
  });
});
