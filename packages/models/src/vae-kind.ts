/** Every VAE variant of the package, as the CLI's `--model` names it. */
export const VAE_KINDS = ['vae-0', 'vae-1', 'vae-2', 'vae-3', 'linear', 'bernoulli'] as const;

/** Identifier of a VAE variant. */
export type VaeKind = (typeof VAE_KINDS)[number];

/** Type guard for user input (CLI flags, saved files). */
export function isVaeKind(value: unknown): value is VaeKind {
  return typeof value === 'string' && (VAE_KINDS as readonly string[]).includes(value);
}

/**
 * How a model's decoder variance is parametrised, so that generic code (trainers, evaluation) knows what
 * {@link VaeModel.decoderVariance} means and whether {@link VaeModel.setDecoderVariance} is allowed.
 * - `'fixed'`: one scalar σ² fixed by the configuration (VAE-0); setting it throws.
 * - `'learnable'`: one learnable scalar σ² (VAE-1, VAE-2, linear VAE).
 * - `'latent-dependent'`: σ²(z) = s·exp(head(z)) per dimension (VAE-3); `decoderVariance()` is the global scale s.
 * - `'per-dimension'`: σ_d² = s·exp(ρ_d), a learnable vector (VAE-3 with varianceModel 'per-dimension'); `decoderVariance()` is s.
 * - `'none'`: the decoder has no variance parameter (Bernoulli, continuous Bernoulli).
 */
export type DecoderVarianceType = 'fixed' | 'learnable' | 'latent-dependent' | 'per-dimension' | 'none';
