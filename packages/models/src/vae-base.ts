import * as tf from '@tensorflow/tfjs-core';
import { defineClassId, deriveSeed, InvalidArgumentError, isInstanceAcross, klNormalNormal, LOG_2PI_E, Normal } from '@trientropy/distributions';
import { checkBatch, checkFiniteBatch } from './batch-checks.js';
import { checkFinite, checkInteger, checkPositiveInteger } from './config-checks.js';
import type { EncoderOutput, LatentEncoder } from './latent-encoder.js';
import type { DecoderVarianceType, VaeKind } from './vae-kind.js';
import type { VaeModel } from './vae-model.js';
import type { ElboOptions, ElboTerms, EntropyOptions, EntropyTerms, OptimalVarianceOptions, OptimalVariances } from './vae-terms.js';
import { seededRandomNormal } from '@trientropy/distributions';
import { gaussianKlToPrior, reparameterize, reparameterizeWithStandardNormalKl, standardNormalKl } from './gaussian-elbo-ops.js';

/** The decoder's part of the ELBO for one set of samples z (see {@link VaeBase.likelihoodTerms}). */
export interface LikelihoodTerms {
  expectedLogLikelihood: tf.Scalar;
  squaredError: tf.Scalar;
  standardizedSquaredError?: tf.Scalar;
}

/** R, Q and m_h accumulated over a data set by {@link VaeBase.statistics}, per data point. */
export interface DataStatistics {
  /** R = mean_n E_q ‖x_n − μ(z)‖². */
  squaredError: number;
  /** Q = mean_n E_q Σ_d (x_nd − μ_d(z))²/σ_d²(z); only for a latent-dependent decoder variance. */
  standardizedSquaredError: number | undefined;
  /** m_h = mean_n (ν_nh² + τ_nh²). */
  secondMoments: number[];
}

/** Default Monte-Carlo sample count of sampled decoder entropies (VAE-3, Bernoulli). */
export const DEFAULT_ENTROPY_SAMPLES = 10;

/**
 * Shared machinery of every VAE variant: a diagonal Gaussian encoder q(z|x), a Gaussian prior N(0, diag α²)
 * (α = 1 except for VAE-2), and a decoder supplied by the subclass. The ELBO is
 * `mean_n { E_q log p(x_n|z) − KL(q(z|x_n) ‖ p(z)) }` with the KL in closed form (arXiv 2010.14860, model definitions); the three
 * entropies are the prior's, the average encoder's and the expected decoder's.
 *
 * Every method that returns tensors releases its intermediates; the caller owns the returned tensors.
 */
export abstract class VaeBase implements VaeModel {
  static {
    defineClassId(this, '@trientropy/models:VaeBase'); // instanceof across the ESM and CJS builds (see VaeBase)
  }

  /**
   * `model instanceof Vae1` (or any other model class) also holds for a model made by the other build of
   * this package (ESM vs CJS) in the same program: classes are compared by stable id (defined in a static block of each class).
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return isInstanceAcross(value, this);
  }

  abstract readonly kind: VaeKind;
  abstract readonly decoderVarianceType: DecoderVarianceType;
  readonly dataDim: number;
  readonly latentDim: number;
  protected readonly latentEncoder: LatentEncoder;

  private disposed = false;
  private inputCheckSuspended = 0;

  protected constructor(dataDim: number, latentDim: number, latentEncoder: LatentEncoder) {
    this.dataDim = dataDim;
    this.latentDim = latentDim;
    this.latentEncoder = latentEncoder;
  }

  /** Every variable under a stable, model-local name (the keys of a saved file's weights). */
  abstract namedVariables(): Record<string, tf.Variable>;

  /** The decoder mean μ(z) (for Bernoulli decoders: the mean of p(x|z)) of a [batch, H] latent batch, unchecked. */
  protected abstract decoderMeanOf(z: tf.Tensor2D): tf.Tensor2D;

  /**
   * `mean_n E_q log p(x_n|z)` and R for `z` of shape [samples·n, H] (sample-major: row s·n + i belongs to
   * x_i), one Monte-Carlo average over the samples.
   */
  protected abstract likelihoodTerms(x: tf.Tensor2D, z: tf.Tensor2D, samples: number): LikelihoodTerms;

  /** `mean_n E_q H[p(x|z)]`; `z` as in {@link likelihoodTerms} (models whose entropy is constant ignore it). */
  protected abstract decoderEntropyOf(z: tf.Tensor2D): tf.Scalar;

  /** Whether {@link decoderEntropyOf} depends on z, i.e. whether `entropies` must sample. */
  protected abstract readonly decoderEntropyNeedsSamples: boolean;

  /** `n` draws of x from the generative model (z ~ p(z), x ~ p(x|z)). */
  abstract sample(n: number, seed: number): tf.Tensor2D;

  abstract decoderVariance(): tf.Scalar;
  abstract setDecoderVariance(variance: number): void;
  abstract setOptimalVariances(x: tf.Tensor, options: OptimalVarianceOptions): void;
  abstract optimalVariances(x: tf.Tensor, options: OptimalVarianceOptions): OptimalVariances;

  /** log α_h² of the prior N(0, diag α²), shape [H]; zeros (the standard normal) unless overridden. */
  priorLogVariance(): tf.Tensor1D {
    return tf.zeros([this.latentDim]);
  }

  /** Whether {@link dispose} was called; a disposed model throws on every use. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Throws a clear error when the model was disposed (instead of tfjs' errors about missing tensors). */
  protected checkUsable(): void {
    if (this.disposed) throw new Error(`this ${this.kind} model was disposed: create or load a new model to use it`);
  }

  /** Every trainable variable (VAE-0's σ² is a non-trainable variable). */
  trainableVariables(): tf.Variable[] {
    this.checkUsable();
    return Object.values(this.namedVariables()).filter((v) => v.trainable);
  }

  /** Mean and log-variance of q(z|x) for a batch `x` of shape [batch, D]. */
  encode(x: tf.Tensor): EncoderOutput {
    this.checkUsable();
    return this.latentEncoder.encode(checkBatch(x, this.dataDim));
  }

  /** Decoder mean μ(z) for latents of shape [batch, H] (Bernoulli decoders: the mean of p(x|z)). */
  decode(z: tf.Tensor): tf.Tensor2D {
    this.checkUsable();
    return this.decoderMeanOf(checkBatch(z, this.latentDim, 'z'));
  }

  /** Decoder mean at the encoder mean: a deterministic reconstruction of `x`. */
  reconstruct(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => this.decoderMeanOf(this.encode(x).mean));
  }

  /** Draws from the prior, shape [n, H]. */
  protected samplePrior(n: number, seed: number): tf.Tensor2D {
    this.checkUsable();
    checkPositiveInteger(n, 'n');
    checkInteger(seed, 'seed');
    return tf.tidy(() => tf.mul(seededRandomNormal([n, this.latentDim], seed), tf.exp(tf.mul(this.priorLogVariance(), 0.5))) as tf.Tensor2D);
  }

  /** Reparameterised z ~ q(z|x), [samples·n, H], sample-major; the same seed gives the same noise. */
  protected sampleLatents(encoded: EncoderOutput, samples: number, seed: number): tf.Tensor2D {
    // One customGrad op (see gaussian-elbo-ops.ts).
    return tf.tidy(() => reparameterize(encoded.mean, encoded.logVariance, this.latentNoise(encoded.mean.shape[0], samples, seed)));
  }

  /** The noise Normal.rsample([samples], seed) draws for a batch of `rows`, [samples, rows, H]. */
  protected latentNoise(rows: number, samples: number, seed: number): tf.Tensor3D {
    return seededRandomNormal([samples, rows, this.latentDim], seed) as tf.Tensor3D;
  }

  /** Whether the model keeps the standard prior N(0, I) (does not override priorLogVariance). */
  protected hasStandardPrior(): boolean {
    return this.priorLogVariance === VaeBase.prototype.priorLogVariance;
  }

  /** {@link sampleLatents} and {@link klOf} together: one op where the prior is standard (see gaussian-elbo-ops.ts). */
  protected latentsAndKl(encoded: EncoderOutput, samples: number, seed: number): { z: tf.Tensor2D; kl: tf.Scalar } {
    if (!this.hasStandardPrior()) return { z: this.sampleLatents(encoded, samples, seed), kl: this.klOf(encoded) };
    return tf.tidy(() => reparameterizeWithStandardNormalKl(encoded.mean, encoded.logVariance, this.latentNoise(encoded.mean.shape[0], samples, seed)));
  }

  /** `mean_n Σ_h KL(N(ν_nh, τ_nh²) ‖ N(0, α_h²))`, in closed form (klNormalNormal's formula, as one customGrad op). */
  protected klOf(encoded: EncoderOutput): tf.Scalar {
    // A model that keeps the standard prior (does not override priorLogVariance) gets the same KL from fewer
    // kernels and without a gradient to a prior that has no parameters.
    if (this.hasStandardPrior()) return tf.tidy(() => standardNormalKl(encoded.mean, encoded.logVariance));
    return tf.tidy(() => gaussianKlToPrior(encoded.mean, encoded.logVariance, this.priorLogVariance()));
  }

  /**
   * Monte-Carlo ELBO per data point (arXiv 2010.14860, model definitions): `E_q log p(x|z)` from `samples` reparameterised draws per
   * point, and the exact Gaussian KL to the prior. Throws for `x` with NaN or ±Infinity entries (one device
   * read; {@link objective}, which training steps call, skips that check and never reads back).
   */
  elbo(x: tf.Tensor, options: ElboOptions): ElboTerms {
    const { batch, samples, seed, beta } = this.elboArguments(x, options);
    return tf.tidy(() => {
      const encoded = this.latentEncoder.encode(batch);
      const { z, kl } = this.latentsAndKl(encoded, samples, seed);
      const likelihood = this.likelihoodTerms(batch, z, samples);
      const elbo = tf.sub(likelihood.expectedLogLikelihood, tf.mul(kl, beta)) as tf.Scalar;
      return { elbo, kl, ...likelihood };
    });
  }

  /** {@link elbo}'s arguments, checked (the finiteness of `x` only outside {@link withoutInputCheck}). */
  private elboArguments(x: tf.Tensor, options: ElboOptions): { batch: tf.Tensor2D; samples: number; seed: number; beta: number } {
    this.checkUsable();
    const batch = this.inputCheckSuspended > 0 ? checkBatch(x, this.dataDim) : checkFiniteBatch(x, this.dataDim);
    const samples = checkPositiveInteger(options.samples ?? 1, 'samples');
    const seed = checkInteger(options.seed, 'seed');
    const beta = checkFinite(options.beta ?? 1, 'beta');
    return { batch, samples, seed, beta };
  }

  /**
   * What a training step maximises; the ELBO unless a variant adds a penalty. Where {@link fusedElbo} has one op for
   * the whole ELBO on the active backend it runs that (the same values as {@link elbo}'s, fewer kernels), else
   * {@link elbo}. A subclass that overrides {@link elbo} is trained on its own `elbo`: the fused op computes this
   * class's ELBO and would silently bypass the override.
   */
  objective(x: tf.Tensor, options: ElboOptions): tf.Scalar {
    return this.withoutInputCheck(() =>
      tf.tidy(() => {
        const { batch, samples, seed, beta } = this.elboArguments(x, options);
        const fused = this.elbo === VaeBase.prototype.elbo ? this.fusedElbo(batch, samples, seed, beta) : undefined;
        return fused ?? this.elbo(batch, options).elbo;
      }),
    );
  }

  /**
   * The ELBO of {@link elbo} for checked arguments as one op (forward and backward), where the model and the active
   * backend have one; undefined (the default) where not, and {@link objective} then runs {@link elbo}.
   */
  protected fusedElbo(_x: tf.Tensor2D, _samples: number, _seed: number, _beta: number): tf.Scalar | undefined {
    return undefined;
  }

  /**
   * Runs `fn` with {@link elbo}'s finiteness check of its input switched off (it costs a device read): for
   * training steps, which must not wait for the device, and loops over data checked once.
   */
  protected withoutInputCheck<T>(fn: () => T): T {
    this.inputCheckSuspended += 1;
    try {
      return fn();
    } finally {
      this.inputCheckSuspended -= 1;
    }
  }

  /** No constraints by default. */
  applyConstraints(): void {}

  /**
   * The three entropies (arXiv 2010.14860, model definitions) and their sum: `H[p(z)] = Σ_h ½ log(2πe α_h²)`, `mean_n H[q(z|x_n)]`, and
   * `mean_n E_q H[p(x|z)]` (Monte-Carlo over q with `options` where it depends on z: VAE-3, Bernoulli).
   */
  entropies(x: tf.Tensor, options: EntropyOptions = {}): EntropyTerms {
    this.checkUsable();
    const batch = checkBatch(x, this.dataDim);
    const samples = checkPositiveInteger(options.samples ?? DEFAULT_ENTROPY_SAMPLES, 'samples');
    const seed = checkInteger(options.seed ?? 0, 'seed');
    return tf.tidy(() => {
      const encoded = this.latentEncoder.encode(batch);
      const encoder = tf.mean(tf.sum(tf.mul(tf.add(encoded.logVariance, LOG_2PI_E), 0.5), 1)) as tf.Scalar;
      const prior = tf.sum(tf.mul(tf.add(this.priorLogVariance(), LOG_2PI_E), 0.5)) as tf.Scalar;
      const z = this.decoderEntropyNeedsSamples ? this.sampleLatents(encoded, samples, seed) : encoded.mean;
      const decoder = this.decoderEntropyOf(z);
      const sum = tf.sub(tf.sub(encoder, prior), decoder) as tf.Scalar;
      return { prior, encoder, decoder, sum };
    });
  }

  /** m_h = `mean_n (ν_h(x_n)² + τ_h(x_n)²)`, shape [H]; 1 for every h at a stationary point of VAE-1 (arXiv 2010.14860, VAE-1 section). */
  latentSecondMoments(x: tf.Tensor): tf.Tensor1D {
    this.checkUsable();
    const batch = checkBatch(x, this.dataDim);
    return tf.tidy(() => {
      const { mean, logVariance } = this.latentEncoder.encode(batch);
      return tf.mean(tf.add(tf.square(mean), tf.exp(logVariance)), 0) as tf.Tensor1D;
    });
  }

  /** `mean_n ½ log(2πe τ_nh²)` per latent, shape [H]; near `½ log(2πe α_h²)` for a collapsed latent (arXiv 2010.14860, posterior-collapse application). */
  encoderEntropiesPerLatent(x: tf.Tensor): tf.Tensor1D {
    this.checkUsable();
    const batch = checkBatch(x, this.dataDim);
    return tf.tidy(() => tf.mean(tf.mul(tf.add(this.latentEncoder.encode(batch).logVariance, LOG_2PI_E), 0.5), 0) as tf.Tensor1D);
  }

  /**
   * R, Q and m_h over all rows of `x`, in chunks of `options.batchSize` rows; chunk i uses seed
   * `options.seed + i`. Reads three small tensors back once.
   */
  statistics(x: tf.Tensor, options: OptimalVarianceOptions): DataStatistics {
    this.checkUsable();
    const data = checkBatch(x, this.dataDim);
    const batchSize = checkPositiveInteger(options.batchSize ?? 2000, 'batchSize');
    const seed = checkInteger(options.seed, 'seed');
    const n = data.shape[0];
    const totals = tf.tidy(() => {
      let errors = tf.zeros([2]);
      let moments = tf.zeros([this.latentDim]);
      for (let start = 0, index = 0; start < n; start += batchSize, index++) {
        const size = Math.min(batchSize, n - start);
        const chunk = tf.slice(data, [start, 0], [size, this.dataDim]);
        const terms = this.withoutInputCheck(() => this.elbo(chunk, { seed: deriveSeed(seed, index), samples: options.samples ?? 1 }));
        const q = terms.standardizedSquaredError ?? tf.scalar(Number.NaN);
        errors = tf.add(errors, tf.mul(tf.stack([terms.squaredError, q]), size));
        moments = tf.add(moments, tf.mul(this.latentSecondMoments(chunk), size));
      }
      return tf.concat([tf.div(errors, n), tf.div(moments, n)]);
    });
    const values = Array.from(totals.dataSync());
    totals.dispose();
    const squaredError = values[0]!;
    if (!Number.isFinite(squaredError)) throw new InvalidArgumentError('x', 'data with a finite reconstruction error R', String(squaredError));
    const secondMoments = values.slice(2);
    if (!secondMoments.every(Number.isFinite)) throw new InvalidArgumentError('x', 'data with finite latent second moments m_h', `[${secondMoments.join(', ')}]`);
    const standardized = values[1]!;
    return { squaredError, standardizedSquaredError: Number.isNaN(standardized) ? undefined : standardized, secondMoments };
  }

  /** Disposes every variable of the model. */
  dispose(): void {
    if (this.disposed) return;
    tf.dispose(Object.values(this.namedVariables()));
    this.disposed = true;
  }
}
