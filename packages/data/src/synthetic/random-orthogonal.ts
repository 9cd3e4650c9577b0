import type { SeededRandom } from '../random.js';

/**
 * A random D × D orthogonal matrix (row-major, float64), Haar-distributed: modified Gram–Schmidt on the
 * columns of a matrix with N(0, 1) entries (R's diagonal is then positive, which is what makes Q
 * Haar-distributed). The paper's code takes the left singular vectors of a Gaussian matrix instead,
 * which has the same distribution.
 */
export function randomOrthogonal(d: number, rng: SeededRandom): Float64Array {
  const q = new Float64Array(d * d);
  for (let i = 0; i < q.length; i++) q[i] = rng.normal();
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += q[i * d + j]! * q[i * d + k]!;
      for (let i = 0; i < d; i++) q[i * d + j]! -= dot * q[i * d + k]!;
    }
    let norm = 0;
    for (let i = 0; i < d; i++) norm += q[i * d + j]! ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < d; i++) q[i * d + j]! /= norm;
  }
  return q;
}
