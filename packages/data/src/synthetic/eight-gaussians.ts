import type { DataMatrix } from '../data-matrix.js';
import type { ToyOptions } from './toy-options.js';
import { generatePoints, resolveToyOptions } from './toy-helpers.js';

/** Radius of the ring of blob centres in the paper's `8gauss`. */
export const EIGHT_GAUSSIANS_RADIUS = 0.4;

/**
 * The eight blob centres of the paper's `8gauss`: on the axes at distance `radius` and on the diagonals
 * at `(±rs, ±rs)` with `rs = √(radius²/2)`, all shifted by +1 (arXiv 2010.14860, experiments).
 */
export function eightGaussianCentres(radius = EIGHT_GAUSSIANS_RADIUS): Array<[number, number]> {
  const rs = Math.sqrt((radius * radius) / 2);
  const raw: Array<[number, number]> = [
    [0, radius],
    [0, -radius],
    [radius, 0],
    [-radius, 0],
    [rs, rs],
    [-rs, -rs],
    [-rs, rs],
    [rs, -rs],
  ];
  return raw.map(([x, y]) => [x + 1, y + 1]);
}

/**
 * The paper's `8gauss` (arXiv 2010.14860, experiments): 8 isotropic Gaussian blobs with standard deviation `noiseStd`
 * (default 0.05) around {@link eightGaussianCentres}. As in scikit-learn's `make_blobs`, which the
 * paper's code calls, every blob gets ⌊n/8⌋ points (the first `n mod 8` blobs one more) and the rows
 * come in a seeded random order.
 */
export function generateEightGaussians(options: ToyOptions = {}): DataMatrix {
  const centres = eightGaussianCentres();
  const resolved = resolveToyOptions(options);
  const blobOfRow = new Int32Array(resolved.n);
  for (let r = 0; r < resolved.n; r++) blobOfRow[r] = r % 8;
  resolved.rng.shuffle(blobOfRow);
  let row = 0;
  return generatePoints(resolved, 2, (_rng, out) => {
    const [cx, cy] = centres[blobOfRow[row++]!]!;
    out[0] = cx;
    out[1] = cy;
  });
}
