import type { DataMatrix } from '../data-matrix.js';
import type { ToyOptions } from './toy-options.js';
import { generatePoints, resolveToyOptions } from './toy-helpers.js';

/**
 * The paper's `spiral_3D` (arXiv 2010.14860, experiments): `t ~ U[0,1)`, scale 2.5, one turn (k = 1):
 * `(x, y, z) = (2.5 sin 2πt, 2.5 cos 2πt, 3t)`; output `(x − z, y, z + x) + N(0, noiseStd² I) + 1.5`.
 */
export function generateSpiral3d(options: ToyOptions = {}): DataMatrix {
  return generatePoints(resolveToyOptions(options), 3, (rng, out) => {
    const t = rng.uniform();
    const x = 2.5 * Math.sin(2 * Math.PI * t);
    const y = 2.5 * Math.cos(2 * Math.PI * t);
    const z = 3 * t;
    // The +1.5 shift commutes with the additive noise, so it is applied to the noise-free point.
    out[0] = x - z + 1.5;
    out[1] = y + 1.5;
    out[2] = z + x + 1.5;
  });
}
