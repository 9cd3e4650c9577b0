import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, LOG_2PI, Normal, klDivergence } from '@trientropy/distributions';
import { type ActivationName, isActivationName } from './activations.js';
import { checkBatch } from './batch-checks.js';
import { checkFinite, checkInteger, checkIntegerList, checkPositiveInteger } from './config-checks.js';
import { type EncoderOutput, GaussianEncoder } from './gaussian-encoder.js';
import { Mlp } from './mlp.js';
import { uniqueScope } from './unique-name.js';
import type { VaeModel } from './vae-model.js';
import type { ElboOptions, ElboTerms, EntropyTerms } from './vae-terms.js';

/** Configuration of {@link Vae1}. */
export interface Vae1Config {
  /** Observed dimension D. */
  dataDim: number;
  /** Latent dimension H. */
  latentDim: number;
  /** Hidden layer sizes of the encoder; the decoder mirrors them. Default [50, 50] (the paper's verification nets). */
  hiddenSizes?: readonly number[];
  /** Hidden-layer activation. Default 'relu'. */
  activation?: ActivationName;
  /** Initial log σ² of the decoder. Default 0 (σ² = 1). */
  initialLogDecoderVariance?: number;
  /** Initial bias of the encoder's log τ² outputs. Default 0. */
  initialEncoderLogVariance?: number;
  /** Seed of the weight initialisation. Default 0. */
  seed?: number;
}

/**
 * VAE-1 of the paper (spec §1.2): prior `N(0, I_H)`, diagonal Gaussian encoder, Gaussian decoder
 * `N(μ(z), σ² I_D)` with one learnable scalar log σ². The decoder's first layer is affine in z, which the
 * theorem needs. At every stationary point `elbo = entropies().sum`.
 */
export class Vae1 implements VaeModel {
  readonly kind = 'vae-1';
  readonly dataDim: number;
  readonly latentDim: number;
  readonly config: Readonly<Required<Vae1Config>>;
  readonly encoder: GaussianEncoder;
  readonly decoderMean: Mlp;
  /** log σ² of the decoder. */
  readonly logDecoderVariance: tf.Variable<tf.Rank.R0>;

  constructor(config: Vae1Config) {
    const activation = config.activation ?? 'relu';
    if (!isActivationName(activation)) throw new InvalidArgumentError('activation', 'one of linear, relu, leaky-relu, tanh, elu, softplus', String(activation));
    this.config = {
      dataDim: checkPositiveInteger(config.dataDim, 'dataDim'),
      latentDim: checkPositiveInteger(config.latentDim, 'latentDim'),
      hiddenSizes: checkIntegerList(config.hiddenSizes ?? [50, 50], 'hiddenSizes'),
      activation,
      initialLogDecoderVariance: checkFinite(config.initialLogDecoderVariance ?? 0, 'initialLogDecoderVariance'),
      initialEncoderLogVariance: checkFinite(config.initialEncoderLogVariance ?? 0, 'initialEncoderLogVariance'),
      seed: checkInteger(config.seed ?? 0, 'seed'),
    };
    this.dataDim = this.config.dataDim;
    this.latentDim = this.config.latentDim;
    const scope = uniqueScope('vae1');
    this.encoder = new GaussianEncoder({
      dataDim: this.dataDim,
      latentDim: this.latentDim,
      hiddenSizes: this.config.hiddenSizes,
      activation,
      logVarianceBiasInit: this.config.initialEncoderLogVariance,
      seed: this.config.seed,
      name: `${scope}/encoder`,
    });
    this.decoderMean = new Mlp({
      inputSize: this.latentDim,
      hiddenSizes: [...this.config.hiddenSizes].reverse(),
      outputSize: this.dataDim,
      activation,
      seed: this.config.seed + 100,
      name: `${scope}/decoder`,
    });
    this.logDecoderVariance = tf.variable(tf.scalar(this.config.initialLogDecoderVariance), true, `${scope}/logDecoderVariance`);
  }

  /** Every trainable variable: encoder, decoder mean, log σ². */
  trainableVariables(): tf.Variable[] {
    return [...this.encoder.variables(), ...this.decoderMean.variables(), this.logDecoderVariance];
  }

  /** Mean and log-variance of q(z|x) for a batch `x` of shape [batch, D]. */
  encode(x: tf.Tensor): EncoderOutput {
    return this.encoder.encode(checkBatch(x, this.dataDim));
  }

  /** Decoder mean μ(z) for latents of shape [batch, H]. */
  decode(z: tf.Tensor): tf.Tensor2D {
    return this.decoderMean.apply(checkBatch(z, this.latentDim, 'z'));
  }

  /** Decoder mean at the encoder mean: a deterministic reconstruction of `x`. */
  reconstruct(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => this.decoderMean.apply(this.encode(x).mean));
  }

  /** `n` draws of x from the generative model (z ~ p(z), x ~ p(x|z)). */
  sample(n: number, seed: number): tf.Tensor2D {
    checkPositiveInteger(n, 'n');
    checkInteger(seed, 'seed');
    return tf.tidy(() => {
      const z = tf.randomNormal([n, this.latentDim], 0, 1, 'float32', seed) as tf.Tensor2D;
      const mean = this.decoderMean.apply(z);
      const noise = tf.randomNormal([n, this.dataDim], 0, 1, 'float32', seed + 1);
      return tf.add(mean, tf.mul(tf.exp(tf.mul(this.logDecoderVariance, 0.5)), noise));
    });
  }

  /** The decoder variance σ². */
  decoderVariance(): tf.Scalar {
    return tf.exp(this.logDecoderVariance);
  }

  /** Sets σ² (e.g. to its closed-form optimum, {@link optimalDecoderVariance}). */
  setDecoderVariance(variance: number): void {
    if (!(variance > 0) || !Number.isFinite(variance)) throw new InvalidArgumentError('variance', 'a finite number > 0', String(variance));
    tf.tidy(() => this.logDecoderVariance.assign(tf.scalar(Math.log(variance))));
  }

  /**
   * Monte-Carlo ELBO per data point (spec §1): `E_q log p(x|z)` from `samples` reparameterised draws per
   * point, and the exact Gaussian KL to the standard normal prior.
   */
  elbo(x: tf.Tensor, options: ElboOptions): ElboTerms {
    const batch = checkBatch(x, this.dataDim);
    const samples = checkPositiveInteger(options.samples ?? 1, 'samples');
    const seed = checkInteger(options.seed, 'seed');
    const beta = checkFinite(options.beta ?? 1, 'beta');
    return tf.tidy(() => {
      const q = this.encoder.posterior(this.encoder.encode(batch));
      const n = batch.shape[0];
      const z = tf.reshape(q.rsample([samples], seed), [samples * n, this.latentDim]) as tf.Tensor2D;
      const mean = tf.reshape(this.decoderMean.apply(z), [samples, n, this.dataDim]);
      const squaredError = tf.mean(tf.sum(tf.square(tf.sub(batch, mean)), -1));
      // log N(x; μ, σ²I) summed over D and averaged: −(D/2)(log 2π + log σ²) − R/(2σ²). Written through R so
      // that the σ² optimum and the gap identity (spec §6.2) hold exactly for the same samples.
      const expectedLogLikelihood = tf.sub(
        tf.mul(tf.add(this.logDecoderVariance, LOG_2PI), -0.5 * this.dataDim),
        tf.mul(tf.exp(tf.neg(this.logDecoderVariance)), tf.mul(squaredError, 0.5)),
      ) as tf.Scalar;
      const kl = tf.mean(tf.sum(klDivergence(q, new Normal(0, 1, { validateArgs: false })), 1)) as tf.Scalar;
      const elbo = tf.sub(expectedLogLikelihood, tf.mul(kl, beta)) as tf.Scalar;
      return { elbo, expectedLogLikelihood, kl, squaredError: squaredError as tf.Scalar };
    });
  }

  /**
   * The three entropies (spec §1.2): `H[p(z)] = (H/2) log 2πe`, `mean_n H[q(z|x_n)]`, and
   * `H[p(x|z)] = (D/2) log(2πe σ²)`, which for VAE-1 does not depend on z. No sampling, no decoder pass.
   */
  entropies(x: tf.Tensor): EntropyTerms {
    const batch = checkBatch(x, this.dataDim);
    return tf.tidy(() => {
      const q = this.encoder.posterior(this.encoder.encode(batch));
      const encoder = tf.mean(tf.sum(q.entropy(), 1)) as tf.Scalar;
      const prior = tf.sum(new Normal(tf.zeros([this.latentDim]), tf.ones([this.latentDim]), { validateArgs: false }).entropy()) as tf.Scalar;
      const decoderLogVariance = tf.broadcastTo(this.logDecoderVariance, [this.dataDim]);
      const decoder = tf.sum(Normal.fromLogVariance(tf.zeros([this.dataDim]), decoderLogVariance, { validateArgs: false }).entropy()) as tf.Scalar;
      const sum = tf.sub(tf.sub(encoder, prior), decoder) as tf.Scalar;
      return { prior, encoder, decoder, sum };
    });
  }

  /** m_h = `mean_n (ν_h(x_n)² + τ_h(x_n)²)`, shape [H]; 1 for every h at a stationary point (spec §1.2). */
  latentSecondMoments(x: tf.Tensor): tf.Tensor1D {
    const batch = checkBatch(x, this.dataDim);
    return tf.tidy(() => {
      const { mean, logVariance } = this.encoder.encode(batch);
      return tf.mean(tf.add(tf.square(mean), tf.exp(logVariance)), 0) as tf.Tensor1D;
    });
  }

  /** Closed-form optimum of σ² for the current networks, `R/D` (spec §1.2), estimated with the given samples. */
  optimalDecoderVariance(x: tf.Tensor, options: ElboOptions): tf.Scalar {
    return tf.tidy(() => {
      const { squaredError } = this.elbo(x, options);
      return tf.div(squaredError, this.dataDim) as tf.Scalar;
    });
  }

  /** Disposes every variable of the model. */
  dispose(): void {
    tf.dispose(this.trainableVariables());
  }
}
