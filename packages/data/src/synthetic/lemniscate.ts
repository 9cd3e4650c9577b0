import type { DataMatrix } from '../data-matrix.js';
import type { ToyOptions } from './toy-options.js';
import { generatePoints, resolveToyOptions } from './toy-helpers.js';

/**
 * The paper's `eight`, a lemniscate of Gerono (arXiv 2010.14860, experiments): `t ~ U[−π/2, 2π)`,
 * `x = (cos t, sin t · cos t) / 2 + N(0, noiseStd² I)`.
 */
export function generateLemniscate(options: ToyOptions = {}): DataMatrix {
  return generatePoints(resolveToyOptions(options), 2, (rng, out) => {
    const t = -Math.PI / 2 + 2.5 * Math.PI * rng.uniform();
    out[0] = Math.cos(t) / 2;
    out[1] = (Math.sin(t) * Math.cos(t)) / 2;
  });
}
