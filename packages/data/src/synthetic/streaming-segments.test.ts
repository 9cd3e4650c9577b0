import { generateStreamingSegments } from './streaming-segments.js';

describe('generateStreamingSegments', () => {
  it('has the paper defaults: three segments of 100 000 points in D = 10 with H_data = 6, 2, 4', () => {
    const { data, segments, noiseStd, basis } = generateStreamingSegments({ segmentLength: 5 });
    expect([data.rows, data.cols, basis.length, noiseStd]).toEqual([15, 10, 100, 0.1]);
    expect(segments.map((s) => [s.start, s.activeDims])).toEqual([[0, 6], [5, 2], [10, 4]]);
    // s = linspace(1, 5, 10), zero beyond H_data
    expect(Array.from(segments[1]!.scales)).toEqual([1, 1 + 4 / 9, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(generateStreamingSegments({ segmentLength: 1 }).data.rows).toBe(3);
  });

  it('uses one orthogonal basis: UᵀU = I', () => {
    const { basis } = generateStreamingSegments({ segmentLength: 1, seed: 3 });
    for (let a = 0; a < 10; a++) {
      for (let b = 0; b < 10; b++) {
        let dot = 0;
        for (let i = 0; i < 10; i++) dot += basis[i * 10 + a]! * basis[i * 10 + b]!;
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 12);
      }
    }
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = generateStreamingSegments({ segmentLength: 20, seed: 1 });
    expect(generateStreamingSegments({ segmentLength: 20, seed: 1 }).data.values).toEqual(a.data.values);
    expect(generateStreamingSegments({ segmentLength: 20, seed: 2 }).data.values).not.toEqual(a.data.values);
  });

  it('each segment has covariance U diag(s²) Uᵀ + σ² I within 5 standard errors per entry', () => {
    const n = 20_000;
    const { data, basis, segments, noiseStd } = generateStreamingSegments({ segmentLength: n, seed: 8 });
    const d = 10;
    for (const segment of segments) {
      const sigma = new Float64Array(d * d);
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          let s = i === j ? noiseStd ** 2 : 0;
          for (let k = 0; k < d; k++) s += basis[i * d + k]! * segment.scales[k]! ** 2 * basis[j * d + k]!;
          sigma[i * d + j] = s;
        }
      }
      const cov = new Float64Array(d * d); // the mean is 0 by construction
      for (let r = segment.start; r < segment.start + n; r++) {
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i * d + j]! += (data.values[r * d + i]! * data.values[r * d + j]!) / n;
      }
      const outside: string[] = [];
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          const se = Math.sqrt((sigma[i * d + i]! * sigma[j * d + j]! + sigma[i * d + j]! ** 2) / n);
          if (!(Math.abs(cov[i * d + j]! - sigma[i * d + j]!) < 5 * se)) outside.push(`H=${segment.activeDims} (${i}, ${j})`);
        }
      }
      expect(outside).toEqual([]);
    }
  });

  it('rejects invalid options naming them', () => {
    expect(() => generateStreamingSegments({ activeDims: [11] })).toThrow('options.activeDims: expected a non-empty list of integers in [0, 10], got [11]');
    expect(() => generateStreamingSegments({ activeDims: [] })).toThrow(/options.activeDims/);
    expect(() => generateStreamingSegments({ segmentLength: 0 })).toThrow('options.segmentLength: expected an integer ≥ 1, got 0');
    expect(() => generateStreamingSegments({ noiseStd: -1 })).toThrow('options.noiseStd: expected a finite number ≥ 0, got -1');
  });
});
