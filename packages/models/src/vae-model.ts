import type * as tf from '@tensorflow/tfjs-core';
import type { DecoderVarianceType, VaeKind } from './vae-kind.js';
import type { ElboOptions, ElboTerms, EntropyOptions, EntropyTerms, OptimalVarianceOptions, OptimalVariances } from './vae-terms.js';

/**
 * What trainers and diagnostics need from a VAE. Every model of this package implements it.
 *
 * A generic training step maximises `objective` (the ELBO, plus a penalty for VAE-2 in 'regularize' mode)
 * and calls `applyConstraints()` before each step (VAE-2 'rescale' mode); closed-form variance updates go
 * through `setOptimalVariances`, which does the right thing for every variant.
 */
export interface VaeModel {
  /** Identifier of the variant, e.g. 'vae-1'. */
  readonly kind: VaeKind;
  readonly dataDim: number;
  readonly latentDim: number;
  /** What `decoderVariance()` means and whether `setDecoderVariance` is allowed. */
  readonly decoderVarianceType: DecoderVarianceType;
  trainableVariables(): tf.Variable[];
  elbo(x: tf.Tensor, options: ElboOptions): ElboTerms;
  /** What a training step maximises: the ELBO, minus the VAE-2 weight-norm penalty in 'regularize' mode. */
  objective(x: tf.Tensor, options: ElboOptions): tf.Scalar;
  /** Re-imposes parameter constraints after an optimiser step (VAE-2 'rescale' mode); a no-op otherwise. */
  applyConstraints(): void;
  entropies(x: tf.Tensor, options?: EntropyOptions): EntropyTerms;
  /** m_h = mean_n(ν_h² + τ_h²), shape [H]. */
  latentSecondMoments(x: tf.Tensor): tf.Tensor1D;
  /** Per-latent average encoder entropy `mean_n ½ log(2πe τ_nh²)`, shape [H] (posterior-collapse detection, arXiv 2010.14860, posterior-collapse application). */
  encoderEntropiesPerLatent(x: tf.Tensor): tf.Tensor1D;
  /** The (scalar) decoder variance σ²; see {@link decoderVarianceType} for its meaning per variant. */
  decoderVariance(): tf.Scalar;
  /** Sets σ², e.g. to its closed-form optimum R/D. Throws unless `decoderVarianceType` is 'learnable'. */
  setDecoderVariance(variance: number): void;
  /**
   * Sets every variance parameter that has a closed-form optimum to it (arXiv 2010.14860, stationary-point conditions): σ² ← R/D (VAE-1/2,
   * linear), α_h² ← m_h (VAE-2), the global scale of σ²(z) ← s·Q/D (VAE-3). VAE-0 and the Bernoulli decoders
   * have no such parameter: a no-op.
   */
  setOptimalVariances(x: tf.Tensor, options: OptimalVarianceOptions): void;
  /** The closed-form optima that {@link setOptimalVariances} would set, as plain numbers (one read-back). */
  optimalVariances(x: tf.Tensor, options: OptimalVarianceOptions): OptimalVariances;
  dispose(): void;
}
