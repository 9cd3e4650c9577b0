import { defineClassId } from '@trientropy/distributions';
import { checkLogVariance } from './config-checks.js';
import type { GaussianEncoder } from './gaussian-encoder.js';
import { type MlpVaeConfig, mlpDecoder, mlpEncoder, resolveMlpVaeConfig } from './mlp-vae-config.js';
import { ScalarGaussianVae } from './scalar-gaussian-vae.js';
import { uniqueScope } from './unique-name.js';

/** Configuration of {@link Vae1}. */
export interface Vae1Config extends MlpVaeConfig {
  /** Initial log σ² of the decoder. Default 0 (σ² = 1). */
  initialLogDecoderVariance?: number;
}

/**
 * VAE-1 of the paper (arXiv 2010.14860, VAE-1 section): prior `N(0, I_H)`, diagonal Gaussian encoder, Gaussian decoder
 * `N(μ(z), σ² I_D)` with one learnable scalar log σ². The decoder's first layer is affine in z, which the
 * theorem needs. At every stationary point `elbo = entropies().sum`, with σ² = R/D and m_h = 1.
 *
 * @example
 * ```ts
 * const model = new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [32, 32], activation: 'tanh', seed: 1 });
 * const { elbo } = model.elbo(x, { seed: 0, samples: 10 });
 * const { sum } = model.entropies(x);
 * ```
 */
export class Vae1 extends ScalarGaussianVae {
  static {
    defineClassId(this, '@trientropy/models:Vae1'); // instanceof across the ESM and CJS builds (see VaeBase)
  }

  readonly kind = 'vae-1' as const;
  readonly decoderVarianceType = 'learnable' as const;
  readonly config: Readonly<Required<Vae1Config>>;
  readonly encoder: GaussianEncoder;

  constructor(config: Vae1Config) {
    const resolved = { ...resolveMlpVaeConfig(config), initialLogDecoderVariance: checkLogVariance(config.initialLogDecoderVariance ?? 0, 'initialLogDecoderVariance') };
    const scope = uniqueScope('vae1');
    const encoder = mlpEncoder(resolved, scope);
    super({
      dataDim: resolved.dataDim,
      latentDim: resolved.latentDim,
      encoder,
      decoderMean: mlpDecoder(resolved, resolved.dataDim, scope),
      initialLogDecoderVariance: resolved.initialLogDecoderVariance,
      learnableDecoderVariance: true,
      scope,
    });
    this.config = resolved;
    this.encoder = encoder;
  }
}
