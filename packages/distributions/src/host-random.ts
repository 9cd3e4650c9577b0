import { InvalidArgumentError, describeValue } from './errors.js';

/**
 * A seeded pseudo-random stream on the host, in float64, for samplers whose rejection loops run in JavaScript
 * (von Mises–Fisher). xoshiro128** (period 2¹²⁸ − 1) whose four state words come from the seed through the
 * SplitMix32 finaliser: words 0 and 1 from the low 32 bits, words 2 and 3 also mixed with the high bits, so
 * every safe integer seed (negative, ≥ 2³² included) has its own stream and the same seed gives the same
 * stream on every platform. Not for cryptography.
 */
export class HostRandom {
  private readonly state = new Uint32Array(4);
  private spareNormal: number | undefined;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new InvalidArgumentError('seed', 'a safe integer (|seed| ≤ 2^53 − 1)', describeValue(seed));
    const low = seed >>> 0;
    const high = Math.floor(seed / 4294967296) >>> 0;
    let x = low;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      // The finaliser is a bijection of 32-bit words: words 0 and 1 determine the low half, then 2 or 3 the high.
      this.state[i] = (finalize(x) ^ (i >= 2 ? finalize(high + i) : 0)) >>> 0;
    }
  }

  /** Uniform on the open interval (0, 1), 2⁻³² resolution. */
  uniform(): number {
    const s = this.state;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return (result + 0.5) / 4294967296;
  }

  /** Standard normal (Box–Muller, both values used). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const value = this.spareNormal;
      this.spareNormal = undefined;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(this.uniform()));
    const angle = 2 * Math.PI * this.uniform();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** Gamma(shape, 1) by Marsaglia & Tsang (2000); shapes below 1 use the boost Gamma(a) = Gamma(a + 1)·U^{1/a}. */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.uniform(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      if (Math.log(this.uniform()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }

  /** Beta(a, b) as G_a/(G_a + G_b). */
  beta(a: number, b: number): number {
    const x = this.gamma(a);
    return x / (x + this.gamma(b));
  }
}

/** SplitMix32's output finaliser (a bijection on 32-bit words). */
function finalize(value: number): number {
  let z = value >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
