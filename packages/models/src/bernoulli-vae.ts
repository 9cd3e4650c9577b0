import * as tf from '@tensorflow/tfjs-core';
import { Bernoulli, ContinuousBernoulli, defineClassId, deriveSeed, InvalidArgumentError, UnsupportedMethodError } from '@trientropy/distributions';
import { checkBatch } from './batch-checks.js';
import type { GaussianEncoder } from './gaussian-encoder.js';
import type { Mlp } from './mlp.js';
import { type MlpVaeConfig, mlpDecoder, mlpEncoder, resolveMlpVaeConfig } from './mlp-vae-config.js';
import { uniqueScope } from './unique-name.js';
import { type LikelihoodTerms, VaeBase } from './vae-base.js';
import type { OptimalVarianceOptions, OptimalVariances } from './vae-terms.js';

/**
 * The observation model of a {@link BernoulliVae}.
 * - `'bernoulli'`: `log p(x|z) = Σ_d x_d η_d − softplus(η_d)` (binary cross-entropy). A normalised likelihood
 *   only for binary x; on grey levels in [0, 1] it is the usual, unnormalised, "Bernoulli" VAE loss.
 * - `'continuous-bernoulli'`: the continuous Bernoulli density on [0, 1] (Loaiza-Ganem & Cunningham 2019),
 *   the Bernoulli term plus its log-normaliser log C(η): a proper density for x ∈ [0, 1].
 */
export type BernoulliLikelihood = 'bernoulli' | 'continuous-bernoulli';

/** Every {@link BernoulliLikelihood}. */
export const BERNOULLI_LIKELIHOODS: readonly BernoulliLikelihood[] = ['bernoulli', 'continuous-bernoulli'];

/** Configuration of {@link BernoulliVae}. */
export interface BernoulliVaeConfig extends MlpVaeConfig {
  /** Default 'bernoulli'. */
  likelihood?: BernoulliLikelihood;
}

/**
 * A VAE for binary or [0, 1] data: prior N(0, I), diagonal Gaussian encoder, decoder
 * `p(x|z) = Π_d Bern(x_d; σ(η_d(z)))` or the continuous Bernoulli with the same logits η(z) from an MLP
 * with a linear output layer.
 *
 * Entropy sum (Lücke & Warnken, arXiv 2209.03077, exponential-family generalisation): both observation models are exponential
 * families with constant base measure and natural parameter η, and the linear output layer can scale η
 * (`W, b → sW, sb`), which is the "parameterisation criterion". So at stationary points the
 * reconstruction term equals −H_dec, with `H_dec = mean_n E_q Σ_d H[p(x_d|z)]` (Monte-Carlo over q), and
 * with the prior part as in VAE-1 (m_h = 1) the ELBO equals `entropies().sum`. At any parameters,
 * `F − S = mean_n E_q Σ_d η_d(z)(x_nd − E[x_d|z]) − ½Σ_h(m_h − 1)` (the Bernoulli analogue of the gap identity (derived from arXiv 2010.14860)).
 * There is no variance parameter: `decoderVariance` and `setDecoderVariance` throw, `setOptimalVariances`
 * does nothing. Data are expected in [0, 1] (not checked in the training path, which must not read back).
 */
export class BernoulliVae extends VaeBase {
  static {
    defineClassId(this, '@trientropy/models:BernoulliVae'); // instanceof across the ESM and CJS builds (see VaeBase)
  }

  readonly kind = 'bernoulli' as const;
  readonly decoderVarianceType = 'none' as const;
  readonly config: Readonly<Required<BernoulliVaeConfig>>;
  readonly encoder: GaussianEncoder;
  /** The decoder MLP, outputs the logits η(z). */
  readonly decoder: Mlp;
  protected readonly decoderEntropyNeedsSamples = true;

  constructor(config: BernoulliVaeConfig) {
    const likelihood = config.likelihood ?? 'bernoulli';
    if (!BERNOULLI_LIKELIHOODS.includes(likelihood)) throw new InvalidArgumentError('likelihood', "'bernoulli' or 'continuous-bernoulli'", String(likelihood));
    const resolved = { ...resolveMlpVaeConfig(config), likelihood };
    const scope = uniqueScope('bernoulli_vae');
    const encoder = mlpEncoder(resolved, scope);
    super(resolved.dataDim, resolved.latentDim, encoder);
    this.config = resolved;
    this.encoder = encoder;
    this.decoder = mlpDecoder(resolved, resolved.dataDim, scope);
  }

  namedVariables(): Record<string, tf.Variable> {
    return { ...this.encoder.namedVariables('encoder'), ...this.decoder.namedVariables('decoder') };
  }

  /** p(x|z) for logits η of shape [batch, D] (no validation: used inside training steps). */
  private observation(logits: tf.Tensor): Bernoulli | ContinuousBernoulli {
    return this.config.likelihood === 'bernoulli' ? new Bernoulli({ logits }, { validateArgs: false }) : new ContinuousBernoulli({ logits }, { validateArgs: false });
  }

  /** The decoder logits η(z) for latents of shape [batch, H]. */
  decoderLogits(z: tf.Tensor): tf.Tensor2D {
    return this.decoder.apply(checkBatch(z, this.latentDim, 'z'));
  }

  /** `E[x|z]`: σ(η) for the Bernoulli, the continuous Bernoulli's mean otherwise. */
  protected decoderMeanOf(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.observation(this.decoder.apply(z)).mean() as tf.Tensor2D);
  }

  protected likelihoodTerms(x: tf.Tensor2D, z: tf.Tensor2D, samples: number): LikelihoodTerms {
    return tf.tidy(() => {
      const p = this.observation(tf.reshape(this.decoder.apply(z), [samples, x.shape[0], this.dataDim]));
      const expectedLogLikelihood = tf.mean(tf.sum(p.logProb(tf.broadcastTo(x, [samples, x.shape[0], this.dataDim])), -1)) as tf.Scalar;
      const squaredError = tf.mean(tf.sum(tf.square(tf.sub(x, p.mean())), -1)) as tf.Scalar;
      return { expectedLogLikelihood, squaredError };
    });
  }

  protected decoderEntropyOf(z: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => tf.mean(tf.sum(this.observation(this.decoder.apply(z)).entropy(), -1)) as tf.Scalar);
  }

  /** `n` draws of x from the generative model (z ~ N(0, I), x ~ p(x|z)). */
  sample(n: number, seed: number): tf.Tensor2D {
    return tf.tidy(() => this.observation(this.decoder.apply(this.samplePrior(n, seed))).sample([], deriveSeed(seed, 1)) as tf.Tensor2D);
  }

  /** Throws: a Bernoulli decoder has no variance parameter. */
  decoderVariance(): tf.Scalar {
    throw new UnsupportedMethodError('BernoulliVae', 'decoderVariance', 'the decoder has no variance parameter (decoderVarianceType is "none")');
  }

  /** Throws: a Bernoulli decoder has no variance parameter. */
  setDecoderVariance(variance: number): void {
    throw new UnsupportedMethodError('BernoulliVae', 'setDecoderVariance', `the decoder has no variance parameter to set to ${variance} (decoderVarianceType is "none")`);
  }

  /** A no-op: there is no variance parameter with a closed-form optimum. */
  setOptimalVariances(_x: tf.Tensor, _options: OptimalVarianceOptions): void {}

  /** `{}`: there is no variance parameter. */
  optimalVariances(_x: tf.Tensor, _options: OptimalVarianceOptions): OptimalVariances {
    return {};
  }
}
