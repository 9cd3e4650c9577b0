// Test-only helpers (not exported from the package).
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads a scalar and disposes it. */
export function scalar(t: tf.Tensor): number {
  const value = t.dataSync()[0] as number;
  t.dispose();
  return value;
}

/** Reads a tensor's values and disposes it. */
export function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

/** Reads every tensor of a record of scalars (ElboTerms, EntropyTerms) and disposes them. */
export function read<T extends object>(terms: T): { [K in keyof T]: number } {
  const out = {} as { [K in keyof T]: number };
  for (const key of Object.keys(terms) as (keyof T)[]) out[key] = scalar(terms[key] as unknown as tf.Tensor);
  return out;
}

/** Parses `src/fixtures/<name>.json`. */
export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', `${name}.json`), 'utf8')) as T;
}

/** |a − b| / |b|. */
export function relativeError(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}
