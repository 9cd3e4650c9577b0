import * as tf from '@tensorflow/tfjs-core';
import { seededRandomNormal } from '@trientropy/distributions';
import { ScalarGaussianVae } from '@trientropy/models';

/** A latent counts as collapsed when its KL to the prior, mean over the rows, is below this (nats per point). */
export const COLLAPSED_LATENT_KL = 1e-2;

/** Power iterations for the largest eigenvalue of the residual covariance; any iterate gives a lower bound. */
const POWER_ITERATIONS = 40;

/**
 * The second-order test of {@link stationarityCertificate}: whether a collapsed latent could explain variance
 * that the decoder leaves in its residuals. Absent when the model has no scalar-σ² Gaussian decoder or no
 * collapsed latent.
 */
export interface LatentEscape {
  /** Latents whose mean KL to the prior is below {@link COLLAPSED_LATENT_KL} nats. */
  collapsedLatents: number[];
  /**
   * λ/σ², with λ a lower bound on the largest eigenvalue of the covariance of the residuals x − μ(ν(x)) (power
   * iteration) and σ² the decoder variance.
   */
  residualEigenvalueRatio: number;
  /**
   * `(1 + √(D/rows))²`: the largest eigenvalue ratio that pure noise gives on this many rows (Marchenko–Pastur
   * edge); only the excess counts.
   */
  noiseEdge: number;
  /**
   * ½(r − 1 − log r) with r = ratio / noiseEdge when r > 1, else 0 (nats per point): the ELBO gained by letting one
   * collapsed latent take the top residual direction (decoder column √(λ − σ²)·u, encoder at its optimum), at
   * fixed σ². Exact for a linear decoder; for a non-linear one it assumes the decoder can add a linear function of
   * that latent, as an MLP with active hidden units can.
   */
  gain: number;
}

/**
 * The {@link LatentEscape} of `model` on `x`. A VAE whose latents have all collapsed onto the prior (the decoder
 * ignores z, q(z|x) = p(z)) sits at an exact stationary point: every gradient is 0 up to Monte-Carlo noise and the
 * entropy sum equals the ELBO, yet it can be far below the optimum (a saddle). No gradient probe sees that; the
 * residual variance does. Chunked over `batchSize` rows; leaves no tensors behind.
 */
export async function collapsedLatentEscape(model: unknown, x: tf.Tensor2D, batchSize: number, seed: number): Promise<LatentEscape | undefined> {
  if (!(model instanceof ScalarGaussianVae)) return undefined;
  const n = x.shape[0];
  const d = model.dataDim;
  const chunks = Math.ceil(n / batchSize);
  const { klPerLatent, residuals } = tf.tidy(() => {
    const priorLogVariance = model.priorLogVariance();
    let kl: tf.Tensor = tf.zeros([model.latentDim]);
    const parts: tf.Tensor2D[] = [];
    for (let c = 0; c < chunks; c++) {
      const rows = Math.min(batchSize, n - c * batchSize);
      const chunk = tf.slice(x, [c * batchSize, 0], [rows, d]);
      const { mean, logVariance } = model.encode(chunk);
      // KL(N(ν, τ²) ‖ N(0, α²)) = ½(ν²/α² + τ²/α² − 1 − log(τ²/α²)), per latent, summed over rows.
      const relativeLogVariance = tf.sub(logVariance, priorLogVariance);
      const perRow = tf.mul(tf.sub(tf.add(tf.div(tf.square(mean), tf.exp(priorLogVariance)), tf.exp(relativeLogVariance)), tf.add(relativeLogVariance, 1)), 0.5);
      kl = tf.add(kl, tf.sum(perRow, 0));
      parts.push(tf.sub(chunk, model.decode(mean)));
    }
    const all = tf.concat(parts, 0);
    return { klPerLatent: tf.div(kl, n), residuals: tf.sub(all, tf.mean(all, 0, true)) as tf.Tensor2D };
  });
  try {
    const kl = Array.from(await klPerLatent.data());
    const collapsedLatents = kl.flatMap((value, h) => (value < COLLAPSED_LATENT_KL ? [h] : []));
    if (collapsedLatents.length === 0) return undefined;
    const active = model.latentDim - collapsedLatents.length;
    const rayleigh = tf.tidy(() => {
      let v = seededRandomNormal([d, 1], seed) as tf.Tensor2D;
      let quotient: tf.Tensor = tf.scalar(0);
      for (let i = 0; i < POWER_ITERATIONS; i++) {
        v = tf.div(v, tf.norm(v)) as tf.Tensor2D;
        const cv = tf.div(tf.matMul(residuals, tf.matMul(residuals, v), true, false), n) as tf.Tensor2D;
        quotient = tf.sum(tf.mul(v, cv));
        v = cv;
      }
      return tf.stack([quotient, model.decoderVariance()]);
    });
    const [lambda, variance] = Array.from(await rayleigh.data()) as [number, number];
    rayleigh.dispose();
    const residualEigenvalueRatio = lambda / variance;
    const noiseEdge = (1 + Math.sqrt(Math.max(d - active, 1) / n)) ** 2;
    const r = residualEigenvalueRatio / noiseEdge;
    const gain = Number.isFinite(r) && r > 1 ? 0.5 * (r - 1 - Math.log(r)) : 0;
    return { collapsedLatents, residualEigenvalueRatio, noiseEdge, gain };
  } finally {
    klPerLatent.dispose();
    residuals.dispose();
  }
}
