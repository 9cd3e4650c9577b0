import { SeededRandom } from './random.js';

function draws(rng: SeededRandom, n: number, draw: (r: SeededRandom) => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = draw(rng);
  return out;
}

function meanAndVariance(xs: Float64Array): { mean: number; variance: number } {
  let mean = 0;
  for (const x of xs) mean += x;
  mean /= xs.length;
  let variance = 0;
  for (const x of xs) variance += (x - mean) ** 2;
  return { mean, variance: variance / (xs.length - 1) };
}

describe('SeededRandom', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = draws(new SeededRandom(42), 100, (r) => r.nextUint32());
    const b = draws(new SeededRandom(42), 100, (r) => r.nextUint32());
    const c = draws(new SeededRandom(43), 100, (r) => r.nextUint32());
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(new Set(a).size).toBe(100);
  });

  it('gives every safe integer its own stream (issue 14: seeds ≥ 2^32 aliased seed 0, −1 aliased 2^32 − 1)', () => {
    const seeds = [0, 1, -1, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, -(2 ** 32), -(2 ** 32) - 1, -(2 ** 33), 2 ** 33, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
    const first = (seed: number): string => JSON.stringify(Array.from(draws(new SeededRandom(seed), 4, (r) => r.nextUint32())));
    expect(new Set(seeds.map(first)).size).toBe(seeds.length);
    for (const seed of seeds) expect(first(seed)).toBe(first(seed));
    // The whole state differs too, not only the first outputs.
    expect(new SeededRandom(2 ** 32).getState().words).not.toEqual(new SeededRandom(0).getState().words);
  });

  it('round-trips its state, including a pending normal draw', () => {
    const rng = new SeededRandom(7);
    rng.normal(); // leaves the spare normal pending
    const state = JSON.parse(JSON.stringify(rng.getState())) as ReturnType<SeededRandom['getState']>;
    expect(state.spareNormal).not.toBeNull();
    const restored = SeededRandom.fromState(state);
    const expected = draws(rng, 50, (r) => r.normal() + r.uniform());
    expect(Array.from(draws(restored, 50, (r) => r.normal() + r.uniform()))).toEqual(Array.from(expected));
  });

  it('rejects invalid seeds and states', () => {
    expect(() => new SeededRandom(1.5)).toThrow(/seed: expected a safe integer \(\|seed\| ≤ 2\^53 − 1\), got 1.5/);
    expect(() => new SeededRandom(2 ** 53)).toThrow(/seed: expected a safe integer/);
    expect(() => SeededRandom.fromState({ words: [1, 2, 3], spareNormal: null })).toThrow(/state.words/);
    expect(() => SeededRandom.fromState({ words: [0, 0, 0, 0], spareNormal: null })).toThrow(/all-zero/);
    expect(() => new SeededRandom(0).integer(0)).toThrow(/n: expected an integer in \[1, 2\^32\], got 0/);
  });

  // Each moment must lie within 4 standard errors of its true value (false-alarm rate ≈ 6e-5 per check).
  const n = 200_000;
  it('has uniform moments: mean 1/2, variance 1/12, range [0, 1)', () => {
    const xs = draws(new SeededRandom(1), n, (r) => r.uniform());
    const { mean, variance } = meanAndVariance(xs);
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(4 * Math.sqrt((1 / 80 - 1 / 144) / n));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('has normal moments: mean 0, variance 1, excess kurtosis 0', () => {
    const xs = draws(new SeededRandom(2), n, (r) => r.normal());
    const { mean, variance } = meanAndVariance(xs);
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    let fourth = 0;
    for (const x of xs) fourth += x ** 4;
    expect(Math.abs(fourth / n - 3)).toBeLessThan(4 * Math.sqrt(96 / n)); // Var(x⁴) = 105 − 9 = 96
  });

  it('draws integers uniformly (chi-square over 10 bins)', () => {
    const rng = new SeededRandom(3);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[rng.integer(10)]!++;
    const chi2 = counts.reduce((s, c) => s + (c - 10_000) ** 2 / 10_000, 0);
    expect(chi2).toBeLessThan(27.9); // 99.9 % quantile of chi-square with 9 degrees of freedom
  });

  it('makes valid permutations that differ between calls', () => {
    const rng = new SeededRandom(4);
    const p = rng.permutation(1000);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(rng.permutation(1000))).not.toEqual(Array.from(p));
    expect(Array.from(rng.permutation(0))).toEqual([]);
    expect(Array.from(rng.permutation(1))).toEqual([0]);
    // Every position sees every value equally often: over many permutations of 4, the mean at each slot is 1.5.
    const sums = [0, 0, 0, 0];
    for (let i = 0; i < 20_000; i++) rng.permutation(4).forEach((v, j) => (sums[j]! += v));
    for (const s of sums) expect(Math.abs(s / 20_000 - 1.5)).toBeLessThan(4 * Math.sqrt(1.25 / 20_000));
  });

  it('hands out non-negative 31-bit seeds', () => {
    const rng = new SeededRandom(5);
    const seeds = draws(rng, 1000, (r) => r.nextSeed());
    expect(seeds.every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 31)).toBe(true);
    expect(new Set(seeds).size).toBe(1000);
  });
});
