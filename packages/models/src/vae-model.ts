import type * as tf from '@tensorflow/tfjs-core';
import type { ElboOptions, ElboTerms, EntropyTerms } from './vae-terms.js';

/**
 * What trainers and diagnostics need from a VAE with a Gaussian decoder of learnable variance. Every model
 * of this package implements it.
 */
export interface VaeModel {
  /** Short identifier of the variant, e.g. 'vae-1'. */
  readonly kind: string;
  readonly dataDim: number;
  readonly latentDim: number;
  trainableVariables(): tf.Variable[];
  elbo(x: tf.Tensor, options: ElboOptions): ElboTerms;
  entropies(x: tf.Tensor): EntropyTerms;
  /** m_h = mean_n(ν_h² + τ_h²), shape [H]. */
  latentSecondMoments(x: tf.Tensor): tf.Tensor1D;
  /** The (scalar) decoder variance σ². */
  decoderVariance(): tf.Scalar;
  /** Sets σ², e.g. to its closed-form optimum R/D. */
  setDecoderVariance(variance: number): void;
  dispose(): void;
}
