import { MAX_ABS_LOG_VARIANCE } from './config-checks.js';
import type * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, UnsupportedMethodError, defineClassId } from '@trientropy/distributions';
import type { GaussianEncoder } from './gaussian-encoder.js';
import { type MlpVaeConfig, mlpDecoder, mlpEncoder, resolveMlpVaeConfig } from './mlp-vae-config.js';
import { ScalarGaussianVae } from './scalar-gaussian-vae.js';
import { uniqueScope } from './unique-name.js';
import type { OptimalVarianceOptions } from './vae-terms.js';

/** Configuration of {@link Vae0}. */
export interface Vae0Config extends MlpVaeConfig {
  /** The fixed decoder variance σ². Default 1 (the authors' code: log σ² = 0, not trainable). */
  decoderVariance?: number;
}

/**
 * VAE-0 (arXiv 2010.14860, VAE-0 definition): VAE-1 with the decoder variance σ² **fixed**. The entropy-sum theorem does not apply:
 * F is not stationary in σ², and the gap `F − S = (D/2)(1 − R/(Dσ²)) − ½Σ_h(m_h − 1)` (gap identity derived from arXiv 2010.14860) stays
 * away from zero unless R/D happens to equal σ². Its `entropies().sum` is reported for comparison only.
 */
export class Vae0 extends ScalarGaussianVae {
  static {
    defineClassId(this, '@trientropy/models:Vae0'); // instanceof across the ESM and CJS builds (see VaeBase)
  }

  readonly kind = 'vae-0' as const;
  readonly decoderVarianceType = 'fixed' as const;
  readonly config: Readonly<Required<Vae0Config>>;
  readonly encoder: GaussianEncoder;

  constructor(config: Vae0Config) {
    const resolved = { ...resolveMlpVaeConfig(config), decoderVariance: config.decoderVariance ?? 1 };
    if (!(resolved.decoderVariance > 0) || !Number.isFinite(resolved.decoderVariance)) {
      throw new InvalidArgumentError('decoderVariance', 'a finite number > 0', String(resolved.decoderVariance));
    }
    if (Math.abs(Math.log(resolved.decoderVariance)) > MAX_ABS_LOG_VARIANCE) {
      throw new InvalidArgumentError('decoderVariance', `a number in [e^−${MAX_ABS_LOG_VARIANCE}, e^${MAX_ABS_LOG_VARIANCE}] (log σ² within ±${MAX_ABS_LOG_VARIANCE})`, String(resolved.decoderVariance));
    }
    const scope = uniqueScope('vae0');
    const encoder = mlpEncoder(resolved, scope);
    super({
      dataDim: resolved.dataDim,
      latentDim: resolved.latentDim,
      encoder,
      decoderMean: mlpDecoder(resolved, resolved.dataDim, scope),
      initialLogDecoderVariance: Math.log(resolved.decoderVariance),
      learnableDecoderVariance: false,
      scope,
    });
    this.config = resolved;
    this.encoder = encoder;
  }

  /** Throws: VAE-0's σ² is part of its definition; build a new model with another `decoderVariance`. */
  override setDecoderVariance(variance: number): void {
    throw new UnsupportedMethodError('Vae0', 'setDecoderVariance', `σ² is fixed at ${this.config.decoderVariance} by the configuration (asked for ${variance}); use VAE-1 for a learnable σ²`);
  }

  /** A no-op: VAE-0's σ² is fixed ({@link optimalVariances} still reports R/D, the value a learnable σ² would take). */
  override setOptimalVariances(_x: tf.Tensor, _options: OptimalVarianceOptions): void {}
}
