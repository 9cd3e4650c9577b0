import { loadGeneratorMoments, momentZScores } from '../test-support/column-moments.js';
import { generateManifold } from './manifold.js';

const reference = loadGeneratorMoments().manifold;

describe('generateManifold', () => {
  it('has the paper defaults k = 10, D = 100, n = 50 000', () => {
    const { data, pairs } = generateManifold({ n: 10 });
    expect([data.rows, data.cols]).toEqual([10, 100]);
    expect(pairs.length).toBe(180);
    expect(Array.from(pairs).every((j) => j >= 0 && j < 10)).toBe(true);
    expect(generateManifold({ dataDim: 11 }).data.rows).toBe(50_000); // D = 11 keeps the default-n check cheap
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = generateManifold({ n: 50, seed: 1 });
    const b = generateManifold({ n: 50, seed: 1 });
    const c = generateManifold({ n: 50, seed: 2 });
    expect(Array.from(a.data.values)).toEqual(Array.from(b.data.values));
    expect(Array.from(a.pairs)).toEqual(Array.from(b.pairs));
    expect(Array.from(a.data.values)).not.toEqual(Array.from(c.data.values));
  });

  it('extra columns are exactly 0.35·cos(u_j1² + u_j2²) of the base columns (no noise by default)', () => {
    const k = 4;
    const { data, pairs } = generateManifold({ n: 300, intrinsicDim: k, dataDim: 9, seed: 5 });
    for (let r = 0; r < data.rows; r++) {
      const row = data.values.subarray(r * 9, (r + 1) * 9);
      for (let e = 0; e < 5; e++) {
        const a = row[pairs[2 * e]!]!;
        const b = row[pairs[2 * e + 1]!]!;
        expect(row[k + e]).toBeCloseTo(0.35 * Math.cos(a * a + b * b), 6);
      }
    }
  });

  it('matches the SciPy reference moments of base and extra columns within 5 standard errors', () => {
    const { data, pairs } = generateManifold({ n: 20_000, intrinsicDim: 3, dataDim: 12, seed: 2 });
    let sawSame = false;
    let sawDistinct = false;
    for (let col = 0; col < 12; col++) {
      let moments = reference.base;
      if (col >= 3) {
        const same = pairs[2 * (col - 3)] === pairs[2 * (col - 3) + 1];
        sawSame ||= same;
        sawDistinct ||= !same;
        moments = same ? reference.extraSamePair : reference.extraDistinctPair;
      }
      const z = momentZScores(data, col, moments);
      expect({ col, ok: z.mean < 5 && z.variance < 5, ...z }).toEqual(expect.objectContaining({ col, ok: true }));
    }
    expect(sawSame && sawDistinct).toBe(true);
  });

  it('adds isotropic noise when asked', () => {
    const clean = generateManifold({ n: 4000, intrinsicDim: 2, dataDim: 3, seed: 4 });
    const noisy = generateManifold({ n: 4000, intrinsicDim: 2, dataDim: 3, seed: 4, noiseStd: 0.1 });
    // with noise the third column no longer follows the cosine law
    let ss = 0;
    for (let r = 0; r < 4000; r++) {
      const row = noisy.data.values.subarray(3 * r, 3 * r + 3);
      const a = row[noisy.pairs[0]!]!;
      const b = row[noisy.pairs[1]!]!;
      ss += (row[2]! - 0.35 * Math.cos(a * a + b * b)) ** 2;
    }
    expect(Math.sqrt(ss / 4000)).toBeGreaterThan(0.05);
    expect(Array.from(clean.pairs)).toEqual(Array.from(noisy.pairs));
  });

  it('rejects invalid options naming them', () => {
    expect(() => generateManifold({ intrinsicDim: 5, dataDim: 5 })).toThrow('options.dataDim: expected an integer > intrinsicDim (5), got 5');
    expect(() => generateManifold({ intrinsicDim: 0 })).toThrow('options.intrinsicDim: expected an integer ≥ 1, got 0');
    expect(() => generateManifold({ noiseStd: -1 })).toThrow('options.noiseStd: expected a finite number ≥ 0, got -1');
  });
});
