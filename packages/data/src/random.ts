import { InvalidArgumentError, describeValue } from './errors.js';

/**
 * A small seeded pseudo-random generator (xoshiro128**, seeded through splitmix32) whose whole state is
 * four 32-bit integers, so runs are reproducible and the state can be checkpointed and restored.
 *
 * Every random choice in trientropy (data generation, shuffling, the seeds handed to tfjs's samplers)
 * comes from an explicit `SeededRandom`; nothing draws from hidden global state.
 */
export class SeededRandom {
  private readonly s = new Uint32Array(4);
  private spareNormal: number | undefined;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new InvalidArgumentError('seed', 'a safe integer (|seed| ≤ 2^53 − 1)', describeValue(seed));
    // Seeds in [0, 2³²) keep the streams they always had. Before, the seed was reduced to its low 32 bits, so
    // 2³² gave seed 0's stream and −1 gave 2³² − 1's; now the high bits (the floor of seed/2³², negative for
    // negative seeds) are mixed into words 2 and 3. splitmix32's finaliser is a bijection of 32-bit words, so
    // words 0 and 1 determine the low half and word 2 then the high half: every safe integer has its own state.
    const low = seed >>> 0;
    const high = Math.floor(seed / 4294967296) >>> 0;
    let x = low;
    for (let i = 0; i < 4; i++) {
      // splitmix32: spreads a small seed over the whole state; never yields an all-zero state.
      x = (x + 0x9e3779b9) >>> 0;
      this.s[i] = (splitmixFinalize(x) ^ (i >= 2 && high !== 0 ? splitmixFinalize(high + i) : 0)) >>> 0;
    }
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Standard normal draw (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const v = this.spareNormal;
      this.spareNormal = undefined;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * this.uniform();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** Uniform integer in [0, n), without modulo bias. */
  integer(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) throw new InvalidArgumentError('n', 'an integer in [1, 2^32]', describeValue(n));
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const r = this.nextUint32();
      if (r < limit) return r % n;
    }
  }

  /** A fresh integer seed for a seeded tfjs op (e.g. `tf.randomNormal(..., seed)`). */
  nextSeed(): number {
    return this.nextUint32() & 0x7fffffff;
  }

  /** Shuffles `values` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      const tmp = values[i];
      values[i] = values[j];
      values[j] = tmp;
    }
    return values;
  }

  /** A random permutation of 0..n−1. */
  permutation(n: number): Int32Array {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return this.shuffle(order);
  }

  /** The full state, for checkpoints. */
  getState(): RandomState {
    return { words: Array.from(this.s), spareNormal: this.spareNormal ?? null };
  }

  /** Restores a state from {@link getState}. */
  static fromState(state: RandomState): SeededRandom {
    const words = state.words;
    if (!Array.isArray(words) || words.length !== 4 || !words.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32)) {
      throw new InvalidArgumentError('state.words', 'four unsigned 32-bit integers', describeValue(words));
    }
    if (words.every((w) => w === 0)) throw new InvalidArgumentError('state.words', 'not all zero (an all-zero state is invalid for xoshiro128**)', '[0, 0, 0, 0]');
    const rng = new SeededRandom(0);
    rng.s.set(words);
    rng.spareNormal = state.spareNormal ?? undefined;
    return rng;
  }
}

/** Serializable state of a {@link SeededRandom}. */
export interface RandomState {
  words: number[];
  spareNormal: number | null;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** splitmix32's output finaliser (a bijection of 32-bit words). */
function splitmixFinalize(value: number): number {
  let z = value >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
