import type * as tf from '@tensorflow/tfjs-core';

/** Options of a Monte-Carlo ELBO evaluation. */
export interface ElboOptions {
  /** Seed of the reparameterised samples z ~ q(z|x); the same seed gives the same samples. */
  seed: number;
  /** Samples of z per data point. Default 1. */
  samples?: number;
  /** Weight of the KL term (β-VAE); the ELBO proper is β = 1. Default 1. */
  beta?: number;
}

/**
 * Options of {@link VaeModel.entropies}. Only models whose decoder entropy depends on z (VAE-3, the
 * Bernoulli decoders) sample; for them the same seed and sample count as an {@link ElboOptions} give the
 * same z, so the gap identities (derived from arXiv 2010.14860) hold exactly for that sample set.
 */
export interface EntropyOptions {
  /** Seed of the samples z ~ q(z|x) of the decoder-entropy expectation. Default 0. */
  seed?: number;
  /** Samples of z per data point. Default 10. */
  samples?: number;
}

/**
 * Closed-form optima of a model's variance parameters for given data and the current networks (arXiv 2010.14860, stationary-point conditions);
 * a field is present only where the variant has that parameter.
 */
export interface OptimalVariances {
  /** σ² = R/D (VAE-0: the value σ² would take if it were learnable). */
  decoderVariance?: number;
  /** α_h² = m_h (VAE-2). */
  priorVariances?: number[];
  /** s·Q/D, the optimal global scale of σ²(z) (VAE-3). */
  decoderVarianceScale?: number;
  /** σ_d² = mean_n E_q (x_nd − μ_d(z))² per dimension (VAE-3 with varianceModel 'per-dimension'). */
  decoderVariances?: number[];
}

/** Options of {@link VaeModel.setOptimalVariances}. */
export interface OptimalVarianceOptions extends ElboOptions {
  /** Rows per forward pass when accumulating R, Q and m_h over `x`; bounds memory. Default 2000. */
  batchSize?: number;
}

/**
 * The ELBO and its parts, in nats per data point, averaged over the batch. The expected log-likelihood is
 * a Monte-Carlo estimate (exact for {@link LinearVae.exactElbo}); the KL is exact.
 */
export interface ElboTerms {
  /** `expectedLogLikelihood − β·kl`. */
  elbo: tf.Scalar;
  /** `mean_n E_q[log p(x_n|z)]`. */
  expectedLogLikelihood: tf.Scalar;
  /** `mean_n KL(q(z|x_n) ‖ p(z))`. */
  kl: tf.Scalar;
  /** R = `mean_n E_q ‖x_n − μ(z)‖²` from the same samples (arXiv 2010.14860, model definitions), used by the gap identity and σ² updates. */
  squaredError: tf.Scalar;
  /**
   * Only for a latent-dependent decoder variance (VAE-3): Q = `mean_n E_q Σ_d (x_nd − μ_d(z))²/σ_d²(z)`,
   * which equals D at a stationary point (arXiv 2010.14860, VAE-3 section).
   */
  standardizedSquaredError?: tf.Scalar;
}

/** The three entropies of the model definitions of the paper (arXiv 2010.14860) and their sum, in nats per data point. */
export interface EntropyTerms {
  /** H[p(z)]. */
  prior: tf.Scalar;
  /** `mean_n H[q(z|x_n)]`. */
  encoder: tf.Scalar;
  /** `mean_n E_q H[p(x|z)]`. */
  decoder: tf.Scalar;
  /** `encoder − prior − decoder`: equals the ELBO at every stationary point. */
  sum: tf.Scalar;
}
