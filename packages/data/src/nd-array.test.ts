import { flatten } from './nd-array.js';

describe('flatten', () => {
  it('turns [n, a, b] into an n × (a·b) matrix sharing the values', () => {
    const values = Float32Array.from({ length: 12 }, (_, i) => i);
    const m = flatten({ shape: [2, 3, 2], values });
    expect([m.rows, m.cols]).toEqual([2, 6]);
    expect(m.values).toBe(values);
    expect(flatten({ shape: [3], values: Float32Array.from([1, 2, 3]) })).toEqual({ values: Float32Array.from([1, 2, 3]), rows: 3, cols: 1 });
  });

  it('rejects scalars, zero-length feature axes and shapes that do not match the values', () => {
    expect(() => flatten({ shape: [], values: new Float32Array(1) })).toThrow('array.shape: expected at least one axis (data points), got [] (a scalar)');
    expect(() => flatten({ shape: [2, 0], values: new Float32Array(0) })).toThrow('array.shape: expected no zero-length axis after the first, got [2, 0]');
    expect(() => flatten({ shape: [2, 2], values: new Float32Array(3) })).toThrow(/values: expected 2 × 2 = 4 numbers, got 3/);
  });
});
