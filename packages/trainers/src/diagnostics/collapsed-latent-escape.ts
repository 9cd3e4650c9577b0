import * as tf from '@tensorflow/tfjs-core';
import { seededRandomNormal } from '@trientropy/distributions';
import { ScalarGaussianVae, Vae3, VaeBase } from '@trientropy/models';

/** A latent counts as collapsed when its KL to the prior, mean over the rows, is below this (nats per point). */
export const COLLAPSED_LATENT_KL = 1e-2;

/** Power iterations for the largest eigenvalue of the residual covariance; any iterate gives a lower bound. */
const POWER_ITERATIONS = 40;

/**
 * Whether {@link stationarityCertificate}'s collapsed-latent saddle test applies to a model, and what it found.
 * It applies to Gaussian decoders (scalar σ²: VAE-0, VAE-1, VAE-2, linear; diagonal σ²: VAE-3 in both variance
 * models); it does NOT apply to Bernoulli decoders, whose residuals have no variance to compare with, and the
 * certificate says so here rather than leaving the test out silently.
 */
export interface SaddleTest {
  /** false for decoders the test does not cover (Bernoulli); the certificate then cannot rule out a collapsed-latent saddle. */
  applies: boolean;
  /** How the residuals are whitened: by the scalar σ², by σ_d²(ν(x)) per dimension (VAE-3), or not at all. */
  decoder: 'scalar-variance' | 'diagonal-variance' | 'not-gaussian';
  /** Latents whose mean KL to the prior is below {@link COLLAPSED_LATENT_KL} nats (computed for every model). */
  collapsedLatents: number[];
  /** One line for reports: what was tested, or why not. */
  note: string;
}

/**
 * The second-order test of {@link stationarityCertificate}: whether a collapsed latent could explain variance
 * that the decoder leaves in its residuals. Absent when the model has no Gaussian decoder or no collapsed latent.
 */
export interface LatentEscape {
  /** Latents whose mean KL to the prior is below {@link COLLAPSED_LATENT_KL} nats. */
  collapsedLatents: number[];
  /**
   * A lower bound (power iteration) on the largest eigenvalue of the covariance of the whitened residuals
   * (x − μ(ν(x)))/σ(ν(x)): λ/σ² for a scalar σ², per dimension σ_d(ν(x)) for VAE-3. 1 where the decoder's noise
   * model explains the residuals.
   */
  residualEigenvalueRatio: number;
  /**
   * `(1 + √(D/rows))²`: the largest eigenvalue ratio that pure noise gives on this many rows (Marchenko–Pastur
   * edge); only the excess counts.
   */
  noiseEdge: number;
  /**
   * ½(r − 1 − log r) with r = ratio / noiseEdge when r > 1, else 0 (nats per point): the ELBO gained by letting one
   * collapsed latent take the top whitened residual direction u (decoder column σ·√(r − 1)·u, encoder at its
   * optimum), at fixed decoder variances: the one-factor gain of factor analysis with noise diag σ². Exact for a
   * linear decoder; for a non-linear one (and for VAE-3's σ²(z), taken at ν(x)) it assumes the decoder can add
   * that latent's linear effect, as an MLP with active hidden units can.
   */
  gain: number;
}

/**
 * The {@link LatentEscape} of `model` on `x`, with the {@link SaddleTest} verdict of whether it applies. A VAE whose
 * latents have all collapsed onto the prior (the decoder ignores z, q(z|x) = p(z)) sits at an exact stationary
 * point: every gradient is 0 up to Monte-Carlo noise and the entropy sum equals the ELBO, yet it can be far below
 * the optimum (a saddle). No gradient probe sees that; the residual variance does. Chunked over `batchSize` rows;
 * leaves no tensors behind.
 */
export async function collapsedLatentEscape(model: unknown, x: tf.Tensor2D, batchSize: number, seed: number): Promise<{ escape?: LatentEscape; saddleTest: SaddleTest }> {
  if (!(model instanceof VaeBase)) return { saddleTest: { applies: false, decoder: 'not-gaussian', collapsedLatents: [], note: 'not applicable: not a VaeBase model, no per-latent KL or residuals to test' } };
  const decoder = model instanceof ScalarGaussianVae ? 'scalar-variance' : model instanceof Vae3 ? 'diagonal-variance' : 'not-gaussian';
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
      if (decoder === 'scalar-variance') parts.push(tf.div(tf.sub(chunk, model.decode(mean)), tf.sqrt((model as ScalarGaussianVae).decoderVariance())));
      else if (decoder === 'diagonal-variance') parts.push(tf.div(tf.sub(chunk, model.decode(mean)), tf.sqrt((model as Vae3).decoderVarianceAt(mean))));
    }
    const all = parts.length > 0 ? tf.concat(parts, 0) : undefined;
    return { klPerLatent: tf.div(kl, n), residuals: all === undefined ? undefined : (tf.sub(all, tf.mean(all, 0, true)) as tf.Tensor2D) };
  });
  try {
    const kl = Array.from(await klPerLatent.data());
    const collapsedLatents = kl.flatMap((value, h) => (value < COLLAPSED_LATENT_KL ? [h] : []));
    const named = collapsedLatents.map((h) => `z${h + 1}`).join(' ');
    if (residuals === undefined) {
      const found = collapsedLatents.length === 0 ? 'no latent has collapsed' : `latents ${named} have collapsed (KL < ${COLLAPSED_LATENT_KL} nats), and this certificate cannot tell a collapsed-latent saddle from a maximum`;
      return { saddleTest: { applies: false, decoder, collapsedLatents, note: `not applicable to a ${model.kind} decoder (the test compares Gaussian residuals with the decoder variance); ${found}` } };
    }
    const whitening = decoder === 'scalar-variance' ? 'σ²' : 'σ_d²(ν(x))';
    if (collapsedLatents.length === 0) return { saddleTest: { applies: true, decoder, collapsedLatents, note: `applies (residuals whitened by ${whitening}); no latent has collapsed, nothing to test` } };
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
      return quotient;
    });
    const residualEigenvalueRatio = (await rayleigh.data())[0]!;
    rayleigh.dispose();
    const noiseEdge = (1 + Math.sqrt(Math.max(d - active, 1) / n)) ** 2;
    const r = residualEigenvalueRatio / noiseEdge;
    const gain = Number.isFinite(r) && r > 1 ? 0.5 * (r - 1 - Math.log(r)) : 0;
    return {
      escape: { collapsedLatents, residualEigenvalueRatio, noiseEdge, gain },
      saddleTest: { applies: true, decoder, collapsedLatents, note: `applies (residuals whitened by ${whitening}); collapsed latents ${named}: top whitened residual variance ${residualEigenvalueRatio.toPrecision(3)} (noise edge ${noiseEdge.toPrecision(3)})` },
    };
  } finally {
    klPerLatent.dispose();
    residuals?.dispose();
  }
}
