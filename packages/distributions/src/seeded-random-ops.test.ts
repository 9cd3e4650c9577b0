// Issue 14: tfjs treats seed 0 as "no seed", so `new Normal(0, 1).rsample([3], 0)` differed between calls. Every
// seed must give the same draws every time (this file runs on cpu and, through jest.wasm.config.cjs, on wasm).
import * as tf from '@tensorflow/tfjs-core';
import { Categorical, Gamma, Laplace, Normal, VonMisesFisher, seededRandomNormal, seededRandomUniform, tfjsSeed } from './index.js';
import type { Distribution } from './distribution.js';
import { HostRandom } from './host-random.js';

const SEEDS = [0, 1, -1, 2, 2 ** 31, 2 ** 32, 2 ** 32 + 1, -(2 ** 32), 2 ** 40 + 7, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];

function draws(make: () => tf.Tensor): number[] {
  return tf.tidy(() => Array.from(make().dataSync()));
}

describe('tfjsSeed', () => {
  it('maps 0 to a non-integer and keeps every other integer', () => {
    expect(tfjsSeed(0)).toBe(0.5);
    expect(tfjsSeed(-0)).toBe(0.5);
    for (const seed of SEEDS.filter((s) => s !== 0)) expect(tfjsSeed(seed)).toBe(seed);
  });

  it('rejects non-integers with a clear error', () => {
    expect(() => tfjsSeed(0.5)).toThrow(/seed: expected an integer, got 0.5/);
    expect(() => tfjsSeed(Number.NaN)).toThrow(/seed: expected an integer, got NaN/);
    expect(() => tfjsSeed(Infinity, 'options.seed')).toThrow(/options.seed: expected an integer/);
  });
});

describe('every seed gives the same draws on every call', () => {
  const ops: [string, (seed: number) => tf.Tensor][] = [
    ['seededRandomNormal', (seed) => seededRandomNormal([4], seed)],
    ['seededRandomUniform', (seed) => seededRandomUniform([4], seed)],
  ];
  it.each(ops)('%s', (_name, op) => {
    const seen = new Map<string, number>();
    for (const seed of SEEDS) {
      const first = draws(() => op(seed));
      expect(draws(() => op(seed))).toEqual(first);
      seen.set(JSON.stringify(first), seed);
    }
    // Distinct seeds give distinct streams.
    expect(seen.size).toBe(SEEDS.length);
  });

  const distributions: [string, () => Distribution][] = [
    ['Normal', () => new Normal(0, 1)],
    ['Gamma', () => new Gamma(tf.tensor1d([0.5, 3]), 1)],
    ['Laplace', () => new Laplace(0, 1)],
    ['Categorical', () => new Categorical({ logits: tf.tensor1d([0, 0, 0]) })],
    ['VonMisesFisher', () => new VonMisesFisher(tf.tensor1d([0, 0, 1]), 5)],
  ];
  it.each(distributions)('%s.sample (issue 14: seed 0 was random for Normal)', (_name, make) => {
    for (const seed of [0, -1, 2 ** 32, Number.MAX_SAFE_INTEGER]) {
      const first = draws(() => make().sample([3], seed));
      expect(draws(() => make().sample([3], seed))).toEqual(first);
    }
    expect(draws(() => make().sample([3], 0))).not.toEqual(draws(() => make().sample([3], 2 ** 32)));
  });

  it('Categorical: seeds 0 and 2³² differ (wasm multinomial truncated seeds to 32 bits)', () => {
    const d = new Categorical({ logits: tf.zeros([16]) });
    expect(draws(() => d.sample([16], 0))).not.toEqual(draws(() => d.sample([16], 2 ** 32)));
  });

  it('new Normal(0, 1).rsample([3], 0), the reproduction from the issue', () => {
    const d = new Normal(0, 1);
    expect(draws(() => d.rsample([3], 0))).toEqual(draws(() => d.rsample([3], 0)));
  });

  it('rejects seeds that are not safe integers', () => {
    const d = new Normal(0, 1);
    expect(() => d.rsample([3], 2 ** 53)).toThrow(/seed: expected a safe integer \(\|seed\| ≤ 2\^53 − 1\), got 9007199254740992/);
  });
});

describe('HostRandom', () => {
  it('has a distinct stream for every seed: ≥ 2³² and negative seeds no longer alias their low 32 bits', () => {
    const first = (seed: number): number[] => {
      const rng = new HostRandom(seed);
      return [rng.uniform(), rng.uniform()];
    };
    const streams = new Set(SEEDS.map((s) => JSON.stringify(first(s))));
    expect(streams.size).toBe(SEEDS.length);
    expect(first(2 ** 32 + 5)).toEqual(first(2 ** 32 + 5));
    for (const v of first(-7)) expect(v > 0 && v < 1).toBe(true);
  });
});
