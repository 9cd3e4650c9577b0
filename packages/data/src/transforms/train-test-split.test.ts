import { dataMatrix } from '../data-matrix.js';
import { selectRows, trainTestSplit } from './train-test-split.js';

const rows = (n: number) => dataMatrix(Float32Array.from({ length: 2 * n }, (_, i) => Math.floor(i / 2) + (i % 2) / 10), n, 2);
const firstColumn = (m: { values: Float32Array; rows: number }) => Array.from({ length: m.rows }, (_, r) => m.values[2 * r]!);

describe('trainTestSplit', () => {
  it('splits 50/50 by default into disjoint parts that together hold every row once', () => {
    const { train, test } = trainTestSplit(rows(11), { seed: 3 });
    expect([train.rows, test.rows]).toEqual([5, 6]); // ceil for the test part, as scikit-learn
    const all = [...firstColumn(train), ...firstColumn(test)].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 11 }, (_, i) => i));
    // rows are copied whole
    for (let r = 0; r < train.rows; r++) expect(train.values[2 * r + 1]).toBeCloseTo(train.values[2 * r]! + 0.1, 5);
  });

  it('is deterministic for a seed, differs between seeds, and shuffles', () => {
    const a = trainTestSplit(rows(40), { seed: 1, testFraction: 0.25 });
    const b = trainTestSplit(rows(40), { seed: 1, testFraction: 0.25 });
    const c = trainTestSplit(rows(40), { seed: 2, testFraction: 0.25 });
    expect([a.train.rows, a.test.rows]).toEqual([30, 10]);
    expect(firstColumn(a.test)).toEqual(firstColumn(b.test));
    expect(firstColumn(a.test)).not.toEqual(firstColumn(c.test));
    expect(firstColumn(a.train)).not.toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('keeps the order without shuffle: the test part is the last rows', () => {
    const { train, test } = trainTestSplit(rows(4), { shuffle: false });
    expect(firstColumn(train)).toEqual([0, 1]);
    expect(firstColumn(test)).toEqual([2, 3]);
  });

  it('rejects bad fractions, too few rows and bad row indices', () => {
    expect(() => trainTestSplit(rows(4), { testFraction: 1 })).toThrow('options.testFraction: expected a number in (0, 1), got 1');
    expect(() => trainTestSplit(rows(4), { testFraction: Number.NaN })).toThrow(/got NaN/);
    expect(() => trainTestSplit(rows(1))).toThrow(/matrix.rows: expected enough rows for a non-empty train and test part at testFraction 0.5, got 1/);
    expect(() => trainTestSplit(rows(4), { seed: -1 })).toThrow('options.seed: expected an integer ≥ 0, got -1');
    expect(() => selectRows(rows(3), [0, 3])).toThrow('indices[1]: expected a row index in [0, 2], got 3');
  });
});
