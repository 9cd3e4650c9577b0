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
  /** Largest |f(row)| over all rows: one expect per property keeps the test fast. */
  const worst = (d: DataMatrix, f: (row: Float32Array) => number): number => {
    let max = 0;
    for (let r = 0; r < d.rows; r++) max = Math.max(max, Math.abs(f(d.values.subarray(r * d.cols, (r + 1) * d.cols))));
    return max;
  };
  const all = (d: DataMatrix, f: (row: Float32Array) => boolean): boolean => worst(d, (row) => (f(row) ? 0 : 1)) === 0;
  const close = (a: number, b: number, tol = 1e-5): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

  it('circle: radius exactly 1, angles cover the whole circle', () => {
    const d = generateCircle({ n, noiseStd: 0 });
    expect(worst(d, ([x, y]) => Math.hypot(x!, y!) - 1)).toBeLessThan(1e-6);
    const quadrants = new Set<number>();
    for (let r = 0; r < n; r++) quadrants.add((d.values[2 * r]! > 0 ? 1 : 0) + (d.values[2 * r + 1]! > 0 ? 2 : 0));
    expect(quadrants.size).toBe(4);
  });

  it('8gauss: only the eight centres, ⌊n/8⌋ or ⌈n/8⌉ points each, in shuffled order', () => {
    const m = 803;
    const d = generateEightGaussians({ n: m, noiseStd: 0 });
    const centres = eightGaussianCentres();
    const counts = new Array<number>(8).fill(0);
    const order: number[] = [];
    for (let r = 0; r < m; r++) {
      const k = centres.findIndex(([cx, cy]) => close(d.values[2 * r]!, cx) && close(d.values[2 * r + 1]!, cy));
      order.push(k);
      if (k >= 0) counts[k]!++;
    }
    expect(order.includes(-1)).toBe(false);
    expect(counts).toEqual([101, 101, 101, 100, 100, 100, 100, 100]);
    expect(order.slice(0, 8)).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(centres[0]).toEqual([1, 1.4]);
    expect(centres[4]![0]).toBeCloseTo(1 + Math.sqrt(0.08), 12);
  });

  it('cosine: y = cos x + 1 with x in [0, 3π)', () => {
    const d = generateCosine({ n, noiseStd: 0 });
    expect(all(d, ([x]) => x! >= 0 && x! < 3 * Math.PI + 1e-6)).toBe(true);
    expect(worst(d, ([x, y]) => y! - (Math.cos(x!) + 1))).toBeLessThan(1e-6);
  });

  it('eight: on the lemniscate of Gerono (2y)² = (2x)²(1 − (2x)²)', () => {
    const d = generateLemniscate({ n, noiseStd: 0 });
    expect(worst(d, ([x, y]) => (2 * y!) ** 2 - (2 * x!) ** 2 * (1 - (2 * x!) ** 2))).toBeLessThan(1e-6);
  });

  it('line: y = 1.5x + 2 with x in [0, 3)', () => {
    const d = generateLine({ n, noiseStd: 0 });
    expect(all(d, ([x]) => x! >= 0 && x! < 3)).toBe(true);
    expect(worst(d, ([x, y]) => y! - (1.5 * x! + 2))).toBeLessThan(1e-5);
  });

  it('1dgauss: constant 3', () => {
    expect(Array.from(generateGaussian1d({ n: 5, noiseStd: 0 }).values)).toEqual([3, 3, 3, 3, 3]);
  });

  it('swiss roll: x = t cos t, z = t sin t with t in [1.5π, 4.5π], height in [0, 21)', () => {
    const d = generateSwissRoll({ n, noiseStd: 0 });
    expect(all(d, ([x, , z]) => Math.hypot(x!, z!) > 1.5 * Math.PI - 1e-4 && Math.hypot(x!, z!) < 4.5 * Math.PI + 1e-4)).toBe(true);
    expect(worst(d, ([x, , z]) => x! - Math.hypot(x!, z!) * Math.cos(Math.hypot(x!, z!)))).toBeLessThan(1e-3);
    expect(worst(d, ([x, , z]) => z! - Math.hypot(x!, z!) * Math.sin(Math.hypot(x!, z!)))).toBeLessThan(1e-3);
    expect(all(d, ([, y]) => y! >= 0 && y! < 21)).toBe(true);
  });

  it('spiral 3-D: undoing the rotation and shift gives radius 2.5, height 3t in [0, 3) and angle 2πt', () => {
    const d = generateSpiral3d({ n, noiseStd: 0 });
    const unrotate = (row: Float32Array): [number, number, number] => {
      const [a, b, c] = [row[0]! - 1.5, row[1]! - 1.5, row[2]! - 1.5];
      return [(a + c) / 2, b, (c - a) / 2];
    };
    expect(worst(d, (row) => Math.hypot(unrotate(row)[0], unrotate(row)[1]) - 2.5)).toBeLessThan(1e-5);
    expect(all(d, (row) => unrotate(row)[2] > -1e-5 && unrotate(row)[2] < 3)).toBe(true);
    expect(worst(d, (row) => unrotate(row)[0] - 2.5 * Math.sin((2 * Math.PI * unrotate(row)[2]) / 3))).toBeLessThan(1e-4);
  });
});
