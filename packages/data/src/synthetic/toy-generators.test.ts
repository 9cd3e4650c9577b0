import type { DataMatrix } from '../data-matrix.js';
import { loadGeneratorMoments, momentZScores } from '../test-support/column-moments.js';
import { generateCircle } from './circle.js';
import { generateCosine } from './cosine.js';
import { eightGaussianCentres, generateEightGaussians } from './eight-gaussians.js';
import { generateGaussian1d } from './gaussian-1d.js';
import { generateLemniscate } from './lemniscate.js';
import { generateLine } from './line.js';
import { generateSpiral3d } from './spiral-3d.js';
import { generateSwissRoll } from './swiss-roll.js';
import type { ToyOptions } from './toy-options.js';

const reference = loadGeneratorMoments();

const generators: Array<[string, (options?: ToyOptions) => DataMatrix, number]> = [
  ['circle', generateCircle, 2],
  ['8gauss', generateEightGaussians, 2],
  ['cosine', generateCosine, 2],
  ['eight', generateLemniscate, 2],
  ['line', generateLine, 2],
  ['1dgauss', generateGaussian1d, 1],
  ['swiss-roll', generateSwissRoll, 3],
  ['spiral-3d', generateSpiral3d, 3],
];

describe.each(generators)('%s', (name, generate, cols) => {
  it('has the paper defaults: 50 000 points, noise 0.05', () => {
    const data = generate();
    expect([data.rows, data.cols]).toEqual([50_000, cols]);
    expect(reference.noiseStd).toBe(0.05);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = generate({ n: 200, seed: 7 });
    const b = generate({ n: 200, seed: 7 });
    const c = generate({ n: 200, seed: 8 });
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    expect(Array.from(a.values)).not.toEqual(Array.from(c.values));
    expect(a.values.every(Number.isFinite)).toBe(true);
  });

  it('matches the SciPy reference moments of every column within 5 standard errors', () => {
    const data = generate({ n: 20_000, seed: 3 });
    reference.columns[name]!.forEach((moments, col) => {
      const z = momentZScores(data, col, moments);
      expect({ col, ...z, ok: z.mean < 5 && z.variance < 5 }).toEqual(expect.objectContaining({ col, ok: true }));
    });
  });

  it('rejects invalid options naming them', () => {
    expect(() => generate({ n: 0 })).toThrow('options.n: expected an integer ≥ 1, got 0');
    expect(() => generate({ noiseStd: -0.1 })).toThrow('options.noiseStd: expected a finite number ≥ 0, got -0.1');
    expect(() => generate({ noiseStd: Number.POSITIVE_INFINITY })).toThrow(/options.noiseStd: expected a finite number ≥ 0, got Infinity/);
    expect(() => generate({ seed: 1.5 })).toThrow('options.seed: expected an integer ≥ 0, got 1.5');
  });
});

describe('noise-free shapes (noiseStd 0)', () => {
  const n = 2000;
  const close = (a: number, b: number, tol = 1e-5): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

  it('circle: radius exactly 1, angles cover the whole circle', () => {
    const d = generateCircle({ n, noiseStd: 0 });
    const quadrants = new Set<number>();
    for (let r = 0; r < n; r++) {
      const [x, y] = [d.values[2 * r]!, d.values[2 * r + 1]!];
      expect(close(Math.hypot(x, y), 1)).toBe(true);
      quadrants.add((x > 0 ? 1 : 0) + (y > 0 ? 2 : 0));
    }
    expect(quadrants.size).toBe(4);
  });

  it('8gauss: only the eight centres, ⌊n/8⌋ or ⌈n/8⌉ points each, in shuffled order', () => {
    const m = 803;
    const d = generateEightGaussians({ n: m, noiseStd: 0 });
    const centres = eightGaussianCentres();
    const counts = new Array<number>(8).fill(0);
    for (let r = 0; r < m; r++) {
      const k = centres.findIndex(([cx, cy]) => close(d.values[2 * r]!, cx) && close(d.values[2 * r + 1]!, cy));
      expect(k).toBeGreaterThanOrEqual(0);
      counts[k]!++;
    }
    expect(counts).toEqual([101, 101, 101, 100, 100, 100, 100, 100]);
    const firstEight = Array.from({ length: 8 }, (_, r) => centres.findIndex(([cx]) => close(d.values[2 * r]!, cx)));
    expect(firstEight).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(centres[0]).toEqual([1, 1.4]);
    expect(centres[4]![0]).toBeCloseTo(1 + Math.sqrt(0.08), 12);
  });

  it('cosine: y = cos x + 1 with x in [0, 3π)', () => {
    const d = generateCosine({ n, noiseStd: 0 });
    for (let r = 0; r < n; r++) {
      const [x, y] = [d.values[2 * r]!, d.values[2 * r + 1]!];
      expect(x >= 0 && x < 3 * Math.PI + 1e-6).toBe(true);
      expect(close(y, Math.cos(x) + 1)).toBe(true);
    }
  });

  it('eight: on the lemniscate of Gerono (2y)² = (2x)²(1 − (2x)²)', () => {
    const d = generateLemniscate({ n, noiseStd: 0 });
    for (let r = 0; r < n; r++) {
      const [u, v] = [2 * d.values[2 * r]!, 2 * d.values[2 * r + 1]!];
      expect(close(v * v, u * u * (1 - u * u))).toBe(true);
    }
  });

  it('line: y = 1.5x + 2 with x in [0, 3)', () => {
    const d = generateLine({ n, noiseStd: 0 });
    for (let r = 0; r < n; r++) {
      const [x, y] = [d.values[2 * r]!, d.values[2 * r + 1]!];
      expect(x >= 0 && x < 3).toBe(true);
      expect(close(y, 1.5 * x + 2)).toBe(true);
    }
  });

  it('1dgauss: constant 3', () => {
    expect(Array.from(generateGaussian1d({ n: 5, noiseStd: 0 }).values)).toEqual([3, 3, 3, 3, 3]);
  });

  it('swiss roll: x² + z² = t² with t in [1.5π, 4.5π], height in [0, 21)', () => {
    const d = generateSwissRoll({ n, noiseStd: 0 });
    for (let r = 0; r < n; r++) {
      const [x, y, z] = [d.values[3 * r]!, d.values[3 * r + 1]!, d.values[3 * r + 2]!];
      const t = Math.hypot(x, z);
      expect(t > 1.5 * Math.PI - 1e-4 && t < 4.5 * Math.PI + 1e-4).toBe(true);
      expect(close(Math.atan2(z, x), Math.atan2(Math.sin(t), Math.cos(t)), 1e-3)).toBe(true);
      expect(y >= 0 && y < 21).toBe(true);
    }
  });

  it('spiral 3-D: undoing the rotation and shift gives radius 2.5 and height 3t in [0, 3)', () => {
    const d = generateSpiral3d({ n, noiseStd: 0 });
    for (let r = 0; r < n; r++) {
      const [a, b, c] = [d.values[3 * r]! - 1.5, d.values[3 * r + 1]! - 1.5, d.values[3 * r + 2]! - 1.5];
      const x = (a + c) / 2;
      const z = (c - a) / 2;
      expect(close(Math.hypot(x, b), 2.5)).toBe(true);
      expect(z > -1e-5 && z < 3).toBe(true);
      // the angle 2πt and the height 3t come from the same t
      const t = z / 3;
      expect(close(x, 2.5 * Math.sin(2 * Math.PI * t), 1e-4)).toBe(true);
    }
  });
});
