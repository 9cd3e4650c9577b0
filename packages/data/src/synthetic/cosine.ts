import type { DataMatrix } from '../data-matrix.js';
import type { ToyOptions } from './toy-options.js';
import { generatePoints, resolveToyOptions } from './toy-helpers.js';

/** The paper's `cosine` (arXiv 2010.14860, experiments): `t ~ U[0, 3π)`, `x = (t, cos t + 1) + N(0, noiseStd² I)`. */
export function generateCosine(options: ToyOptions = {}): DataMatrix {
  return generatePoints(resolveToyOptions(options), 2, (rng, out) => {
    const t = 3 * Math.PI * rng.uniform();
    out[0] = t;
    out[1] = Math.cos(t) + 1;
  });
}
