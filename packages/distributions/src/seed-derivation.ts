import { InvalidArgumentError, describeValue } from './errors.js';

/** 2⁵³ − 1, the largest safe integer: seeds range over [−MAX, MAX], 2⁵⁴ − 1 values. */
const MAX = Number.MAX_SAFE_INTEGER;

/**
 * The k-th seed derived from `seed` (k ≥ 0 an integer): `seed + k`, computed exactly and wrapped modulo 2⁵⁴ − 1
 * into the safe integers [−(2⁵³ − 1), 2⁵³ − 1].
 *
 * Why not `seed + k`: beyond 2⁵³ float64 addition rounds, so for seed 2⁵³ − 1 the streams `seed + 1` and `seed + 2`
 * were both 2⁵³ (one stream twice), and the result was no longer a safe integer (refused by `sample`). Here every
 * step is exact, and for each k the map seed ↦ deriveSeed(seed, k) is a bijection of the safe integers: distinct
 * seeds keep distinct streams for every k, and one seed's derived seeds k = 0, 1, 2, … are distinct. Where
 * `seed + k` is a safe integer (every seed but the last k below 2⁵³) it is exactly `seed + k`, so ordinary seeds
 * draw what they always drew. As with `seed + k`, offsets of neighbouring seeds coincide by design
 * (deriveSeed(s, 1) = deriveSeed(s + 1, 0)): derive with offsets apart by more than any count of streams one
 * call uses where that matters.
 */
export function deriveSeed(seed: number, k: number): number {
  if (!Number.isSafeInteger(seed)) throw new InvalidArgumentError('seed', 'a safe integer (|seed| ≤ 2^53 − 1)', describeValue(seed));
  if (!Number.isSafeInteger(k) || k < 0) throw new InvalidArgumentError('k', 'a non-negative safe integer (the offset of the derived seed)', describeValue(k));
  // For seed ≤ 0, room ≥ MAX ≥ k (room may round there, the comparison cannot go wrong); for seed > 0 it is exact.
  const room = MAX - seed;
  if (k <= room) return seed + k; // exact: the sum is a safe integer
  // seed > 0 and seed + k > MAX: seed + k − (2⁵⁴ − 1) = (k − room − 1) − MAX, both steps exact (k − room − 1 ∈ [0, k)).
  return k - room - 1 - MAX;
}

/**
 * {@link deriveSeed} for consumers that take only non-negative seeds (the data generators of `@trientropy/data`):
 * `(seed + k) mod 2⁵³`, exact, for seed ∈ [0, 2⁵³ − 1]. Equal to `seed + k` wherever that is at most 2⁵³ − 1, and
 * for each k a bijection of [0, 2⁵³ − 1], as deriveSeed is of the safe integers.
 */
export function deriveNonNegativeSeed(seed: number, k: number): number {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InvalidArgumentError('seed', 'an integer in [0, 2^53 − 1]', describeValue(seed));
  if (!Number.isSafeInteger(k) || k < 0) throw new InvalidArgumentError('k', 'a non-negative safe integer (the offset of the derived seed)', describeValue(k));
  const room = MAX - seed; // exact: both in [0, MAX]
  // seed + k − 2⁵³ = (k − room − 1), exact.
  return k <= room ? seed + k : k - room - 1;
}
