import type { DataMatrix } from '../data-matrix.js';
import type { ToyOptions } from './toy-options.js';
import { generatePoints, resolveToyOptions } from './toy-helpers.js';

/** The paper's `1Dgauss` (arXiv 2010.14860, experiments): one column, `x ~ N(3, noiseStd²)` (default noise 0.05). */
export function generateGaussian1d(options: ToyOptions = {}): DataMatrix {
  return generatePoints(resolveToyOptions(options), 1, (_rng, out) => {
    out[0] = 3;
  });
}
