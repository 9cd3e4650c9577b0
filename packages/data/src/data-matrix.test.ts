import { dataMatrix, row } from './data-matrix.js';
import { InvalidArgumentError } from './errors.js';

describe('dataMatrix', () => {
  it('wraps row-major values and gives rows as views', () => {
    const m = dataMatrix(Float32Array.from([1, 2, 3, 4, 5, 6]), 3, 2);
    expect(Array.from(row(m, 1))).toEqual([3, 4]);
    row(m, 2)[0] = 9;
    expect(m.values[4]).toBe(9);
    expect(dataMatrix(new Float32Array(0), 0, 3).rows).toBe(0);
  });

  it('rejects inconsistent shapes naming the argument', () => {
    expect(() => dataMatrix(new Float32Array(5), 2, 3)).toThrow('values: expected 2 × 3 = 6 numbers, got 5');
    expect(() => dataMatrix(new Float32Array(0), -1, 3)).toThrow('rows: expected a non-negative integer, got -1');
    expect(() => dataMatrix(new Float32Array(0), 0, 0)).toThrow('cols: expected a positive integer, got 0');
    expect(() => dataMatrix([1, 2] as unknown as Float32Array, 1, 2)).toThrow(InvalidArgumentError);
  });
});
