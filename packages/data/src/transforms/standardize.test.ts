import { dataMatrix } from '../data-matrix.js';
import { applyStandardizer, fitStandardizer, standardize } from './standardize.js';

describe('standardize', () => {
  it('gives every column mean 0 and (population) standard deviation 1', () => {
    const m = dataMatrix(Float32Array.from([1, 10, 2, 20, 3, 60]), 3, 2);
    const { data, standardizer } = standardize(m);
    expect(Array.from(standardizer.mean)).toEqual([2, 30]);
    expect(standardizer.std[0]).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(standardizer.std[1]).toBeCloseTo(Math.sqrt(1400 / 3), 10);
    for (let c = 0; c < 2; c++) {
      const col = [0, 1, 2].map((r) => data.values[2 * r + c]!);
      const mean = col.reduce((a, b) => a + b, 0) / 3;
      const variance = col.reduce((a, b) => a + (b - mean) ** 2, 0) / 3;
      expect(mean).toBeCloseTo(0, 6);
      expect(variance).toBeCloseTo(1, 6);
    }
    expect(data.values[0]).toBeCloseTo(-1 / Math.sqrt(2 / 3), 6);
  });

  it("scale 'shared' centres every column and divides all by the root mean square of their standard deviations", () => {
    const m = dataMatrix(Float32Array.from([1, 10, 2, 20, 3, 60]), 3, 2);
    const s = fitStandardizer(m, { scale: 'shared' });
    expect(Array.from(s.mean)).toEqual([2, 30]);
    const rms = Math.sqrt((2 / 3 + 1400 / 3) / 2);
    expect(s.std[0]).toBeCloseTo(rms, 10);
    expect(s.std[1]).toBeCloseTo(rms, 10);
    const out = applyStandardizer(m, s);
    // The ratio of the columns' spreads is kept (an isotropic noise model stays isotropic).
    expect(out.values[1]! / out.values[0]!).toBeCloseTo(-20 / -1, 5);
    let squares = 0;
    for (const v of out.values) squares += v * v;
    expect(squares / 6).toBeCloseTo(1, 6);
    expect(() => fitStandardizer(m, { scale: 'columns' as never })).toThrow(/options\.scale: expected 'per-column' or 'shared', got columns/);
  });

  it('only centres a constant column', () => {
    const { data } = standardize(dataMatrix(Float32Array.from([4, 4, 4]), 3, 1));
    expect(Array.from(data.values)).toEqual([0, 0, 0]);
  });

  it('applies fitted statistics to another matrix', () => {
    const s = fitStandardizer(dataMatrix(Float32Array.from([0, 2]), 2, 1));
    expect(Array.from(applyStandardizer(dataMatrix(Float32Array.from([3]), 1, 1), s).values)).toEqual([2]);
  });

  it('rejects empty matrices, non-finite values and mismatched statistics', () => {
    expect(() => fitStandardizer(dataMatrix(new Float32Array(0), 0, 1))).toThrow('matrix.rows: expected at least one row to fit on, got 0');
    expect(() => fitStandardizer(dataMatrix(Float32Array.from([1, Number.POSITIVE_INFINITY]), 2, 1))).toThrow('matrix.values: expected finite numbers, got Infinity at row 1, column 0');
    const s = fitStandardizer(dataMatrix(Float32Array.from([0, 2]), 2, 1));
    expect(() => applyStandardizer(dataMatrix(Float32Array.from([1, 2]), 1, 2), s)).toThrow(/standardizer: expected mean\/std of length 2/);
  });
});
