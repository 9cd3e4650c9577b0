import type { DataMatrix } from '../data-matrix.js';
import type { ToyOptions } from './toy-options.js';
import { generatePoints, resolveToyOptions } from './toy-helpers.js';

/**
 * The paper's `swiss_roll` (arXiv 2010.14860, experiments), i.e. scikit-learn's `make_swiss_roll(n, noise)`:
 * `t = 1.5π (1 + 2u)`, `u ~ U[0,1)`, `x = (t cos t, 21 v, t sin t) + N(0, noiseStd² I)`, `v ~ U[0,1)`.
 * The same distribution as scikit-learn, not the same numbers (different random generator).
 */
export function generateSwissRoll(options: ToyOptions = {}): DataMatrix {
  return generatePoints(resolveToyOptions(options), 3, (rng, out) => {
    const t = 1.5 * Math.PI * (1 + 2 * rng.uniform());
    out[0] = t * Math.cos(t);
    out[1] = 21 * rng.uniform();
    out[2] = t * Math.sin(t);
  });
}
