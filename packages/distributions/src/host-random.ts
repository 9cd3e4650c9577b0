import { InvalidArgumentError, describeValue } from './errors.js';

/**
 * A seeded pseudo-random stream on the host, in float64, for samplers whose rejection loops run in JavaScript
 * (von Mises–Fisher). Mulberry32 (period 2³²) on a SplitMix32-scrambled seed: the same seed gives the same stream
 * on every platform. Not for cryptography.
 */
export class HostRandom {
  private state: number;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new InvalidArgumentError('seed', 'an integer', describeValue(seed));
    // SplitMix32 finaliser: nearby seeds give unrelated streams.
    let z = (seed + 0x9e3779b9) | 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    this.state = (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform on the open interval (0, 1), 2⁻³² resolution. */
  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
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
