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
 * The ELBO and its parts, in nats per data point, averaged over the batch. The expected log-likelihood is
 * a Monte-Carlo estimate; the KL is exact.
 */
export interface ElboTerms {
  /** `expectedLogLikelihood − β·kl`. */
  elbo: tf.Scalar;
  /** `mean_n E_q[log p(x_n|z)]`. */
  expectedLogLikelihood: tf.Scalar;
  /** `mean_n KL(q(z|x_n) ‖ p(z))`. */
  kl: tf.Scalar;
  /** R = `mean_n E_q ‖x_n − μ(z)‖²` from the same samples (spec §1), used by the gap identity and σ² updates. */
  squaredError: tf.Scalar;
}

/** The three entropies of spec §1 and their sum, in nats per data point. */
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
