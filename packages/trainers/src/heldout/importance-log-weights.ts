import * as tf from '@tensorflow/tfjs-core';
import { Bernoulli, ContinuousBernoulli, LOG_2PI } from '@trientropy/distributions';
import { BernoulliVae, ScalarGaussianVae, Vae3, VaeBase, type VaeModel } from '@trientropy/models';
import { seededRandomNormal } from '@trientropy/distributions';

/**
 * Per-sample log densities of k reparameterised draws `z_s ~ q(z|x_n)` for a batch, shapes [k, n]:
 * the pieces of a per-point ELBO and of the importance weights `p(x, z)/q(z|x)`.
 */
export interface ImportanceLogWeights {
  /** log p(x_n | z_s). */
  logLikelihood: tf.Tensor2D;
  /** log p(z_s). */
  logPrior: tf.Tensor2D;
  /** log q(z_s | x_n). */
  logPosterior: tf.Tensor2D;
  /** KL(q(z|x_n) ‖ p(z)) in closed form, shape [n]. */
  kl: tf.Tensor1D;
}

/** A model whose per-point log densities this module can compute, with the decoder's log-likelihood of x given z. */
type ObservationLogDensity = (x: tf.Tensor2D, z: tf.Tensor2D) => tf.Tensor1D;

/**
 * log p(x|z) row by row, from each variant's public decoder API. Every variant of @trientropy/models is
 * covered; a model that is not a `VaeBase` (a user's own `VaeModel`) has no public encoder/decoder in the
 * interface, so it is rejected with an error naming its kind.
 */
function observationLogDensity(model: VaeModel): ObservationLogDensity {
  if (model instanceof ScalarGaussianVae) {
    // N(x; μ(z), σ² I): VAE-0, VAE-1, VAE-2 and the linear VAE.
    return (x, z) =>
      tf.tidy(() => {
        const logSigma2 = tf.log(model.decoderVariance());
        const squared = tf.sum(tf.square(tf.sub(x, model.decode(z))), 1);
        return tf.neg(tf.mul(tf.add(tf.mul(tf.add(logSigma2, LOG_2PI), model.dataDim), tf.div(squared, tf.exp(logSigma2))), 0.5)) as tf.Tensor1D;
      });
  }
  if (model instanceof Vae3) {
    // N(x; μ(z), diag σ²(z)) (both variance models).
    return (x, z) =>
      tf.tidy(() => {
        const variance = model.decoderVarianceAt(z);
        const terms = tf.add(tf.add(tf.log(variance), LOG_2PI), tf.div(tf.square(tf.sub(x, model.decode(z))), variance));
        return tf.mul(tf.sum(terms, 1), -0.5) as tf.Tensor1D;
      });
  }
  if (model instanceof BernoulliVae) {
    return (x, z) =>
      tf.tidy(() => {
        const logits = model.decoderLogits(z);
        const p = model.config.likelihood === 'bernoulli' ? new Bernoulli({ logits }, { validateArgs: false }) : new ContinuousBernoulli({ logits }, { validateArgs: false });
        return tf.sum(p.logProb(x), 1) as tf.Tensor1D;
      });
  }
  throw new Error(`model: per-point log densities are not supported for kind '${model.kind}' (expected a model of @trientropy/models with a public encode/decode)`);
}

/**
 * Draws `k` reparameterised samples per row of `x` ([n, D]) with the given seed and returns their log densities
 * (see {@link ImportanceLogWeights}). The caller owns the returned tensors; intermediates are released.
 */
export function importanceLogWeights(model: VaeModel, x: tf.Tensor2D, k: number, seed: number): ImportanceLogWeights {
  if (!(model instanceof VaeBase)) throw new Error(`model: per-point log densities are not supported for kind '${model.kind}' (expected a model of @trientropy/models with a public encode/decode)`);
  const logDensity = observationLogDensity(model);
  return tf.tidy(() => {
    const n = x.shape[0];
    const h = model.latentDim;
    const { mean, logVariance } = model.encode(x);
    const std = tf.exp(tf.mul(logVariance, 0.5));
    const eps = seededRandomNormal([k, n, h], seed);
    const z = tf.add(mean, tf.mul(std, eps)) as tf.Tensor3D;
    const priorLogVariance = model.priorLogVariance();
    // log q(z|x) = Σ_h −½(log 2π + log τ² + ε²), with ε the standardised draw (exact, no cancellation).
    const logPosterior = tf.mul(tf.sum(tf.add(tf.add(logVariance, LOG_2PI), tf.square(eps)), 2), -0.5) as tf.Tensor2D;
    const logPrior = tf.mul(tf.sum(tf.add(tf.add(priorLogVariance, LOG_2PI), tf.div(tf.square(z), tf.exp(priorLogVariance))), 2), -0.5) as tf.Tensor2D;
    const xRepeated = tf.reshape(tf.broadcastTo(x, [k, n, model.dataDim]), [k * n, model.dataDim]) as tf.Tensor2D;
    const logLikelihood = tf.reshape(logDensity(xRepeated, tf.reshape(z, [k * n, h]) as tf.Tensor2D), [k, n]) as tf.Tensor2D;
    // KL(N(ν, τ²) ‖ N(0, α²)) = ½ Σ_h [log α² − log τ² + (τ² + ν²)/α² − 1].
    const ratio = tf.div(tf.add(tf.exp(logVariance), tf.square(mean)), tf.exp(priorLogVariance));
    const kl = tf.mul(tf.sum(tf.sub(tf.add(tf.sub(priorLogVariance, logVariance), ratio), 1), 1), 0.5) as tf.Tensor1D;
    return { logLikelihood, logPrior, logPosterior, kl };
  });
}
