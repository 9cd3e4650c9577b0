import { type DataMatrix, dataMatrix } from '../data-matrix.js';
import { checkInteger, checkNonNegative, checkSeed } from '../errors.js';
import { checkGeneratedSize } from './size-limit.js';
import { SeededRandom } from '../random.js';
import type { ToyOptions } from './toy-options.js';

/** Validated toy options with the paper's defaults filled in. */
export interface ResolvedToyOptions {
  n: number;
  noiseStd: number;
  rng: SeededRandom;
}

/** Fills in defaults (n = 50 000, noise 0.05 unless `defaultNoise` says otherwise, seed 0) and validates. */
export function resolveToyOptions(options: ToyOptions, defaultNoise = 0.05): ResolvedToyOptions {
  return {
    n: checkInteger(options.n ?? 50_000, 'options.n', 1),
    noiseStd: checkNonNegative(options.noiseStd ?? defaultNoise, 'options.noiseStd'),
    rng: new SeededRandom(checkSeed(options.seed ?? 0, 'options.seed')),
  };
}

/**
 * Fills an n × cols matrix row by row: `point(rng, out)` writes one noise-free point into `out`, then
 * isotropic N(0, noiseStd²) noise is added to every coordinate.
 */
export function generatePoints(resolved: ResolvedToyOptions, cols: number, point: (rng: SeededRandom, out: Float64Array) => void): DataMatrix {
  const { n, noiseStd, rng } = resolved;
  checkGeneratedSize(n, cols, 'options.n');
  const values = new Float32Array(n * cols);
  const p = new Float64Array(cols);
  for (let r = 0; r < n; r++) {
    point(rng, p);
    for (let c = 0; c < cols; c++) values[r * cols + c] = p[c]! + (noiseStd > 0 ? noiseStd * rng.normal() : 0);
  }
  return dataMatrix(values, n, cols);
}
