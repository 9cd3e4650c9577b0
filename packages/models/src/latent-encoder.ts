import type * as tf from '@tensorflow/tfjs-core';

/** The encoder's outputs for a batch: mean ν and log-variance log τ² of q(z|x), both [batch, H]. */
export interface EncoderOutput {
  mean: tf.Tensor2D;
  logVariance: tf.Tensor2D;
}

/** What a VAE needs from its diagonal Gaussian encoder. */
export interface LatentEncoder {
  readonly latentDim: number;
  /** ν(x) and log τ²(x) for a batch (no input checks: the model checks). */
  encode(x: tf.Tensor2D): EncoderOutput;
  /** Variables under stable, model-local names `<prefix>/...`. */
  namedVariables(prefix: string): Record<string, tf.Variable>;
  /**
   * Multiplies ν_h and τ_h of every input by `scale[h] > 0` by editing the output layer in place. This is
   * the per-latent rescaling direction of the theorem (arXiv 2010.14860, VAE-1 section) and of the VAE-1 ↔ VAE-2 map (VAE-2 section).
   */
  rescaleLatents(scale: tf.Tensor1D): void;
}
