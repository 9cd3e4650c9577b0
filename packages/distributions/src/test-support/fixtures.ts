// Test-only helpers (not exported from the package): read the SciPy fixtures written by
// tools/reference/distributions_fixtures.py.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Nested numeric arrays as written by the generator (`null` where a value is deliberately absent). */
export type NumericArray = number | NumericArray[];

/** Parses `src/fixtures/<name>.json`. */
export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', `${name}.json`), 'utf8')) as T;
}

/** Flattens a nested fixture array. */
export function flat(values: NumericArray): number[] {
  return Array.isArray(values) ? values.flatMap((v) => flat(v)) : [values];
}
