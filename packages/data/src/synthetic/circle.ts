import type { DataMatrix } from '../data-matrix.js';
import type { ToyOptions } from './toy-options.js';
import { generatePoints, resolveToyOptions } from './toy-helpers.js';

/**
 * The paper's `circle` (arXiv 2010.14860, experiments): angle `a ~ U[0, 2π)`, radius `r ~ N(1, noiseStd²)`,
 * `x = (r cos a, r sin a)`. The noise enters through the radius only (no extra additive noise).
 */
export function generateCircle(options: ToyOptions = {}): DataMatrix {
  const resolved = resolveToyOptions(options);
  const radiusStd = resolved.noiseStd;
  return generatePoints({ ...resolved, noiseStd: 0 }, 2, (rng, out) => {
    const angle = 2 * Math.PI * rng.uniform();
    const radius = 1 + radiusStd * rng.normal();
    out[0] = radius * Math.cos(angle);
    out[1] = radius * Math.sin(angle);
  });
}
