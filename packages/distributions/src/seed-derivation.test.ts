import * as tf from '@tensorflow/tfjs-core';
import { Beta, Categorical, Gamma, InvalidArgumentError, LowRankMultivariateNormal, MixtureSameFamily, Normal, deriveNonNegativeSeed, deriveSeed, seededRandomUniform } from './index.js';

const MAX = Number.MAX_SAFE_INTEGER;
/** The offsets the library derives (standard Gamma 1–2, Beta 3–5, chunks, heldout 7919, certificate ~1e6). */
const OFFSETS = [0, 1, 2, 3, 4, 5, 7, 100, 7919, 1_000_003];

describe('deriveSeed', () => {
  it('is seed + k wherever that is a safe integer (ordinary seeds keep their draws)', () => {
    for (const seed of [0, 1, -1, 12345, -(2 ** 40), 2 ** 52, MAX - 7919, -MAX]) {
      for (const k of OFFSETS) if (Number.isSafeInteger(seed + k) && Math.abs(seed + k) <= MAX - 1) expect(deriveSeed(seed, k)).toBe(seed + k);
    }
  });

  it('near 2^53 stays exact: distinct safe integers for every seed and offset, wrapping modulo 2^54 − 1', () => {
    const seen = new Map<number, string>();
    for (const seed of [MAX, MAX - 1, MAX - 2, MAX - 1_000_003]) {
      for (const k of OFFSETS) {
        const derived = deriveSeed(seed, k);
        expect(Number.isSafeInteger(derived)).toBe(true);
        // (seed, k) and (seed', k') with seed + k = seed' + k' are one integer and one stream by design; nothing else.
        const key = String(BigInt(seed) + BigInt(k));
        const previous = [...seen.entries()].find(([value]) => value === derived);
        if (previous !== undefined) expect(previous[1]).toBe(key);
        seen.set(derived, key);
        const wrapped = (BigInt(seed) + BigInt(k) + BigInt(MAX)) % (2n * BigInt(MAX) + 1n) - BigInt(MAX);
        expect(BigInt(derived)).toBe(wrapped);
      }
    }
    // Before: (2^53 − 1) + 1 and (2^53 − 1) + 2 both rounded to 2^53, one stream used twice.
    expect(deriveSeed(MAX, 1)).not.toBe(deriveSeed(MAX, 2));
  });

  it('deriveNonNegativeSeed: seed + k modulo 2^53, never negative (for the data generators)', () => {
    expect(deriveNonNegativeSeed(12345, 7)).toBe(12352);
    const derived = OFFSETS.map((k) => deriveNonNegativeSeed(MAX, k));
    expect(derived.every((v) => Number.isSafeInteger(v) && v >= 0)).toBe(true);
    expect(new Set(derived).size).toBe(OFFSETS.length);
    for (const k of OFFSETS) expect(BigInt(deriveNonNegativeSeed(MAX - 1, k))).toBe((BigInt(MAX - 1) + BigInt(k)) % 2n ** 53n);
    expect(() => deriveNonNegativeSeed(-1, 1)).toThrow(/seed: expected an integer in \[0, 2\^53 − 1\]/);
  });

  it('refuses seeds and offsets that are not safe integers, naming them', () => {
    expect(() => deriveSeed(2 ** 53, 1)).toThrow(InvalidArgumentError);
    expect(() => deriveSeed(1.5, 1)).toThrow(/seed/);
    expect(() => deriveSeed(1, -1)).toThrow(/k: expected a non-negative safe integer/);
  });
});

describe('samplers with derived streams: seeds 2^53 − 1 and 2^53 − 2 give distinct, reproducible draws', () => {
  const draw = (make: () => tf.Tensor): number[] => tf.tidy(() => Array.from(make().dataSync()));
  const families: [string, (seed: number) => tf.Tensor][] = [
    ['Gamma (α < 1: three streams)', (seed) => new Gamma(tf.fill([64], 0.5), 1).sample([], seed)],
    ['Beta (six streams)', (seed) => new Beta(tf.fill([64], 0.5), 2).sample([], seed)],
    ['LowRankMultivariateNormal (two streams)', (seed) => new LowRankMultivariateNormal(tf.zeros([4]), tf.ones([4, 2]), tf.ones([4])).sample([16], seed)],
    ['MixtureSameFamily (two streams)', (seed) => new MixtureSameFamily(new Categorical({ logits: tf.zeros([2]) }), new Normal(tf.tensor1d([-3, 3]), 1)).sample([64], seed)],
  ];
  it.each(families)('%s', (_name, sample) => {
    for (const seed of [MAX, MAX - 1]) expect(draw(() => sample(seed))).toEqual(draw(() => sample(seed)));
    expect(draw(() => sample(MAX))).not.toEqual(draw(() => sample(MAX - 1)));
  });

  it('the derived streams of one seed near 2^53 are pairwise distinct', () => {
    for (const seed of [MAX, MAX - 1]) {
      const streams = OFFSETS.map((k) => draw(() => seededRandomUniform([8], deriveSeed(seed, k))).join(','));
      expect(new Set(streams).size).toBe(OFFSETS.length);
    }
  });
});
