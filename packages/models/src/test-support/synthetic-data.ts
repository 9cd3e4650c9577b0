// Test-only synthetic data sets (arXiv 2010.14860, verification experiments), generated with seeded tfjs ops so the models package needs no
// dependency on @trientropy/data.
import * as tf from '@tensorflow/tfjs-core';
import { seededRandomNormal, seededRandomUniform } from '@trientropy/distributions';

/** `x = W z + μ + 0.1 ε` with W ~ U[0,1]^{D×H}, μ ~ U[0,1]^D, z ~ N(0, I_H) (the paper's PCA data). */
export function pcaData(n: number, dataDim: number, latentDim: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const w = seededRandomUniform([latentDim, dataDim], seed);
    const mu = seededRandomUniform([dataDim], seed + 1);
    const z = seededRandomNormal([n, latentDim], seed + 2);
    return tf.add(tf.add(tf.matMul(z, w), mu), seededRandomNormal([n, dataDim], seed + 3, 0, 0.1)) as tf.Tensor2D;
  });
}

/** The paper's PCA-ring data: as {@link pcaData} with H = 2 but z ← z/10 + z/‖z‖ (a noisy circle in latent space). */
export function ringData(n: number, dataDim: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const w = seededRandomUniform([2, dataDim], seed);
    const mu = seededRandomUniform([dataDim], seed + 1);
    const z0 = seededRandomNormal([n, 2], seed + 2);
    const z = tf.add(tf.div(z0, 10), tf.div(z0, tf.norm(z0, 'euclidean', 1, true)));
    return tf.add(tf.add(tf.matMul(z, w), mu), seededRandomNormal([n, dataDim], seed + 3, 0, 0.1)) as tf.Tensor2D;
  });
}
