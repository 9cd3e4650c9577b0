import { SeededRandom } from '@trientropy/data';
import { formatRelativeGain, gainVerdict, pairedGain } from './paired-gain.js';

describe('pairedGain', () => {
  it('takes an exact gain as it is, with no standard error', () => {
    expect(pairedGain([[1.5]], [[1.75]])).toEqual({ gain: 0.25, standardError: 0 });
  });

  it('averages two families and takes the standard error from their per-piece differences', () => {
    // Differences per piece: family A (0.1, 0.3), family B (0.3, 0.1): mean gain (0.4 + 0.4)/2 = 0.4,
    // variance ((−0.2)² + 0.2²)/4 = 0.02.
    const measured = pairedGain(
      [
        [1, 2],
        [1, 2],
      ],
      [
        [1.1, 2.3],
        [1.3, 2.1],
      ],
    );
    expect(measured.gain).toBeCloseTo(0.4, 12);
    expect(measured.standardError).toBeCloseTo(Math.sqrt(0.02), 12);
  });

  it('estimates the spread of the gain it reports: over many simulated check families, about 93 % of gains (t with 10 degrees of freedom) lie within 2 s.e. of the truth', () => {
    // Each piece's difference is truth/pieces + noise of s.d. σ per family; the gain is the mean of two families.
    const rng = new SeededRandom(3);
    const pieces = 10;
    const truth = 1e-3;
    const sigma = 2e-4;
    let inside = 0;
    let ratio = 0;
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      const start = [Array(pieces).fill(0), Array(pieces).fill(0)];
      const end = [0, 1].map(() => Array.from({ length: pieces }, () => truth / pieces + sigma * rng.normal()));
      const { gain, standardError } = pairedGain(start, end);
      if (Math.abs(gain - truth) <= 2 * standardError) inside++;
      ratio += standardError ** 2;
    }
    // The true standard error of the mean of two families: σ √(pieces / 2).
    expect(Math.sqrt(ratio / trials) / (sigma * Math.sqrt(pieces / 2))).toBeGreaterThan(0.95);
    expect(Math.sqrt(ratio / trials) / (sigma * Math.sqrt(pieces / 2))).toBeLessThan(1.05);
    // With 10 degrees of freedom the t quantile widens the interval a little: about 92 % coverage, not 95 %.
    expect(inside / trials).toBeGreaterThan(0.88);
    expect(inside / trials).toBeLessThan(0.97);
  });

  it('rejects mismatched families and pieces', () => {
    expect(() => pairedGain([[1], [1], [1]], [[1], [1], [1]])).toThrow('pairedGain: expected 1 or 2 families at both states, got 3 and 3');
    expect(() => pairedGain([[1, 2]], [[1]])).toThrow('pairedGain: expected the same pieces in every family at both states');
  });
});

describe('gainVerdict', () => {
  it('certifies only gains whose upper 2 s.e. bound is within the tolerance, refuses those whose lower bound is above it, and is undecided in between', () => {
    expect(gainVerdict({ gain: 1e-4, standardError: 0.4e-4 }, 2, 1e-4)).toBe('below'); // (1 + 0.8)e-4 / 2 ≤ 1e-4
    expect(gainVerdict({ gain: 1e-4, standardError: 0.6e-4 }, 2, 1e-4)).toBe('undecided');
    expect(gainVerdict({ gain: 4e-4, standardError: 0.9e-4 }, 2, 1e-4)).toBe('above'); // (4 − 1.8)e-4 / 2 > 1e-4
    expect(gainVerdict({ gain: 4e-4, standardError: 0 }, 2, 1e-4)).toBe('above');
    expect(gainVerdict({ gain: Number.NaN, standardError: 0 }, 1, 1e-4)).toBe('above');
  });
});

describe('formatRelativeGain', () => {
  it('writes the gain relative to the scale, with its standard error where it has one', () => {
    expect(formatRelativeGain({ gain: 3e-4, standardError: 1e-4 }, 2)).toBe('1.50e-4 ± 5.0e-5');
    expect(formatRelativeGain({ gain: -3e-4, standardError: 0 }, 2)).toBe('-1.50e-4');
  });
});
