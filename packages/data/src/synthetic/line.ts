import type { DataMatrix } from '../data-matrix.js';
import type { ToyOptions } from './toy-options.js';
import { generatePoints, resolveToyOptions } from './toy-helpers.js';

/** The paper's `line` (arXiv 2010.14860, experiments): `t ~ U[0, 3)`, `x = (t, 1.5 t + 2) + N(0, noiseStd² I)`. */
export function generateLine(options: ToyOptions = {}): DataMatrix {
  return generatePoints(resolveToyOptions(options), 2, (rng, out) => {
    const t = 3 * rng.uniform();
    out[0] = t;
    out[1] = 1.5 * t + 2;
  });
}
