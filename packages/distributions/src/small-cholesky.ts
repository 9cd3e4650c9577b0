import * as tf from '@tensorflow/tfjs-core';

// Batched Cholesky factorisation and triangular solve for small matrices (the r × r capacitance matrices of a
// low-rank covariance), written with ordinary differentiable tfjs ops: tfjs-core has neither. Cost O(r³) small
// ops, meant for r ≲ 32. A lower-triangular factor is kept as its r columns, each of shape [..., r].

/** Element i of the last axis, keeping it: [..., n] → [..., 1]. */
function entry(t: tf.Tensor, i: number): tf.Tensor {
  const begin = t.shape.map((_, a) => (a === t.rank - 1 ? i : 0));
  const size = t.shape.map((s, a) => (a === t.rank - 1 ? 1 : s));
  return tf.slice(t, begin, size);
}

/**
 * Lower-triangular L with L Lᵀ = A for symmetric positive-definite A of shape [..., r, r], returned as its
 * columns (column j has zeros above row j). Non-positive-definite input gives NaN (sqrt of a negative pivot).
 */
export function choleskyColumns(a: tf.Tensor): tf.Tensor[] {
  const r = a.shape[a.rank - 1] as number;
  const columns = tf.unstack(a, a.rank - 1); // column j of A: [..., r]
  const factor: tf.Tensor[] = [];
  for (let j = 0; j < r; j++) {
    let v = columns[j] as tf.Tensor;
    for (let k = 0; k < j; k++) v = tf.sub(v, tf.mul(factor[k] as tf.Tensor, entry(factor[k] as tf.Tensor, j)));
    const pivot = tf.sqrt(entry(v, j));
    const mask = tf.tensor1d(Array.from({ length: r }, (_, i) => (i >= j ? 1 : 0)), 'float32');
    factor.push(tf.mul(tf.div(v, pivot), mask));
  }
  return factor;
}

/** `log det A = 2 Σⱼ log Lⱼⱼ` from the columns of its Cholesky factor; shape [...]. */
export function logDeterminantFromCholesky(factor: tf.Tensor[]): tf.Tensor {
  const logs = factor.map((column, j) => tf.log(tf.squeeze(entry(column, j), [column.rank - 1])));
  return tf.mul(tf.addN(logs), 2);
}

/** Solves L y = b for y by forward substitution; b and y are [..., r, m] (m right-hand sides). */
export function solveLowerTriangular(factor: tf.Tensor[], b: tf.Tensor): tf.Tensor {
  const r = factor.length;
  const rows = tf.unstack(b, b.rank - 2); // row i of b: [..., m]
  const y: tf.Tensor[] = [];
  for (let i = 0; i < r; i++) {
    let v = rows[i] as tf.Tensor;
    for (let k = 0; k < i; k++) v = tf.sub(v, tf.mul(entry(factor[k] as tf.Tensor, i), y[k] as tf.Tensor));
    y.push(tf.div(v, entry(factor[i] as tf.Tensor, i)));
  }
  return tf.stack(y, b.rank - 2);
}

/** Solves Lᵀ x = y for x by back substitution; y and x are [..., r, m] (m right-hand sides). */
export function solveUpperTriangularTransposed(factor: tf.Tensor[], y: tf.Tensor): tf.Tensor {
  const r = factor.length;
  const rows = tf.unstack(y, y.rank - 2);
  const x: tf.Tensor[] = new Array<tf.Tensor>(r);
  for (let i = r - 1; i >= 0; i--) {
    // Row i of Lᵀ is column i of L: (Lᵀ)ᵢₖ = Lₖᵢ = entry k of column i.
    let v = rows[i] as tf.Tensor;
    for (let k = i + 1; k < r; k++) v = tf.sub(v, tf.mul(entry(factor[i] as tf.Tensor, k), x[k] as tf.Tensor));
    x[i] = tf.div(v, entry(factor[i] as tf.Tensor, i));
  }
  return tf.stack(x, y.rank - 2);
}
