import { dataMatrix } from '../data-matrix.js';
import { applyMinMax, fitMinMax, minMaxScale } from './min-max-scale.js';

describe('minMaxScale', () => {
  it('maps every column to [0, 1] with min → 0 and max → 1', () => {
    const m = dataMatrix(Float32Array.from([1, -2, 3, 0, 5, 2]), 3, 2);
    const { data, scaler } = minMaxScale(m);
    expect(Array.from(scaler.min)).toEqual([1, -2]);
    expect(Array.from(scaler.max)).toEqual([5, 2]);
    expect(Array.from(data.values)).toEqual([0, 0, 0.5, 0.5, 1, 1]);
    expect(Array.from(m.values)).toEqual([1, -2, 3, 0, 5, 2]); // input untouched
  });

  it('maps a constant column to 0 (no division by zero)', () => {
    const { data } = minMaxScale(dataMatrix(Float32Array.from([7, 1, 7, 2]), 2, 2));
    expect(Array.from(data.values)).toEqual([0, 0, 0, 1]);
  });

  it('applies a scaler fitted on one matrix to another, outside [0, 1] where it lies outside', () => {
    const scaler = fitMinMax(dataMatrix(Float32Array.from([0, 10]), 2, 1));
    expect(Array.from(applyMinMax(dataMatrix(Float32Array.from([5, 20, -10]), 3, 1), scaler).values)).toEqual([0.5, 2, -1]);
  });

  it('rejects empty matrices, non-finite values and mismatched scalers', () => {
    expect(() => fitMinMax(dataMatrix(new Float32Array(0), 0, 2))).toThrow('matrix.rows: expected at least one row to fit on, got 0');
    expect(() => fitMinMax(dataMatrix(Float32Array.from([1, Number.NaN]), 1, 2))).toThrow('matrix.values: expected finite numbers, got NaN at row 0, column 1');
    const scaler = fitMinMax(dataMatrix(Float32Array.from([1, 2]), 1, 2));
    expect(() => applyMinMax(dataMatrix(Float32Array.from([1, 2, 3]), 1, 3), scaler)).toThrow(/scaler: expected min\/max of length 3/);
  });
});
