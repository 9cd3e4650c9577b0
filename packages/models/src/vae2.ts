import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, defineClassId } from '@trientropy/distributions';
import { checkFinite, checkLogVariance } from './config-checks.js';
import type { GaussianEncoder } from './gaussian-encoder.js';
import { type MlpVaeConfig, mlpDecoder, mlpEncoder, resolveMlpVaeConfig } from './mlp-vae-config.js';
import { ownedVariable } from './owned-variable.js';
import { ScalarGaussianVae } from './scalar-gaussian-vae.js';
import { uniqueScope } from './unique-name.js';
import type { ElboOptions, OptimalVarianceOptions, OptimalVariances } from './vae-terms.js';

/**
 * How VAE-2 keeps the decoder's first-layer weight columns at unit norm, `‖W_h‖ = 1` (arXiv 2010.14860, VAE-2 section).
 * - `'rescale'`: {@link Vae2.applyConstraints} (call it before each optimiser step) divides each W_h by its
 *   norm c_h. By default it also multiplies ν_h, τ_h and α_h by c_h, so the model's ELBO and entropy sum are
 *   unchanged (the invariance of the VAE-2 section of the paper (arXiv 2010.14860)) and the projection costs nothing; with
 *   `rescalePreservesFunction: false` it only normalises, as the authors' train.py does.
 * - `'regularize'`: {@link Vae2.objective} subtracts `γ Σ_h (‖W_h‖² − 1)²` (γ = `penaltyWeight`).
 */
export type WeightConstraint = 'rescale' | 'regularize';

/** Every {@link WeightConstraint}. */
export const WEIGHT_CONSTRAINTS: readonly WeightConstraint[] = ['rescale', 'regularize'];

/** Configuration of {@link Vae2}. */
export interface Vae2Config extends MlpVaeConfig {
  /** Initial log σ² of the decoder. Default 0. */
  initialLogDecoderVariance?: number;
  /** Initial log α_h² of the prior, the same for every h. Default 1 (the authors' code: α² = e). */
  initialLogPriorVariance?: number;
  /** Default 'rescale' (the authors' choice for VAE-2). */
  weightConstraint?: WeightConstraint;
  /** γ of the 'regularize' penalty. Default 1. */
  penaltyWeight?: number;
  /** 'rescale' mode: compensate the normalisation in the encoder and α (default true) or only normalise (false, the authors' code). */
  rescalePreservesFunction?: boolean;
}

/**
 * VAE-2 (arXiv 2010.14860, VAE-2 section): prior `N(0, diag α²)` with learnable log α_h², decoder `N(μ(z), σ² I)` whose first
 * layer's weight columns W_h (the weights leaving latent h: row h of the first decoder layer's
 * [H, hidden] weight) have unit norm. At any point where F is stationary in σ² and α, `F = S_2`; with
 * σ² = R/D and α_h² = m_h substituted (see {@link setOptimalVariances}), `F = S_2` for *any* networks
 * (the "optimal manifold", arXiv 2010.14860, VAE-2 section).
 */
export class Vae2 extends ScalarGaussianVae {
  static {
    defineClassId(this, '@trientropy/models:Vae2'); // instanceof across the ESM and CJS builds (see VaeBase)
  }

  readonly kind = 'vae-2' as const;
  readonly decoderVarianceType = 'learnable' as const;
  readonly config: Readonly<Required<Vae2Config>>;
  readonly encoder: GaussianEncoder;
  /** log α_h², shape [H]. */
  readonly logPriorVariance: tf.Variable<tf.Rank.R1>;

  constructor(config: Vae2Config) {
    const weightConstraint = config.weightConstraint ?? 'rescale';
    if (!WEIGHT_CONSTRAINTS.includes(weightConstraint)) throw new InvalidArgumentError('weightConstraint', "'rescale' or 'regularize'", String(weightConstraint));
    const resolved = {
      ...resolveMlpVaeConfig(config),
      initialLogDecoderVariance: checkLogVariance(config.initialLogDecoderVariance ?? 0, 'initialLogDecoderVariance'),
      initialLogPriorVariance: checkLogVariance(config.initialLogPriorVariance ?? 1, 'initialLogPriorVariance'),
      weightConstraint,
      penaltyWeight: checkFinite(config.penaltyWeight ?? 1, 'penaltyWeight'),
      rescalePreservesFunction: config.rescalePreservesFunction ?? true,
    };
    if (typeof resolved.rescalePreservesFunction !== 'boolean') throw new InvalidArgumentError('rescalePreservesFunction', 'a boolean', String(resolved.rescalePreservesFunction));
    if (resolved.penaltyWeight < 0) throw new InvalidArgumentError('penaltyWeight', 'a number ≥ 0', String(resolved.penaltyWeight));
    const scope = uniqueScope('vae2');
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
    this.logPriorVariance = ownedVariable(tf.fill([resolved.latentDim], resolved.initialLogPriorVariance), true, `${scope}/logPriorVariance`) as tf.Variable<tf.Rank.R1>;
    if (weightConstraint === 'rescale') {
      // Start on the constraint set; at initialisation there is nothing to preserve.
      const w = this.firstLayerWeight();
      tf.tidy(() => w.assign(tf.div(w, tf.norm(w, 'euclidean', 1, true))));
    }
  }

  private firstLayerWeight(): tf.Variable {
    return this.decoderMean.layers[0]!.weight;
  }

  override namedVariables(): Record<string, tf.Variable> {
    return { ...super.namedVariables(), logPriorVariance: this.logPriorVariance };
  }

  /** log α_h² (a copy: the caller owns it). */
  override priorLogVariance(): tf.Tensor1D {
    return tf.clone(this.logPriorVariance);
  }

  /** The prior variances α_h², shape [H]. */
  priorVariance(): tf.Tensor1D {
    return tf.exp(this.logPriorVariance);
  }

  /** ‖W_h‖ per latent, shape [H]. */
  weightColumnNorms(): tf.Tensor1D {
    return tf.tidy(() => tf.norm(this.firstLayerWeight(), 'euclidean', 1) as tf.Tensor1D);
  }

  /** The ELBO, minus `γ Σ_h (‖W_h‖² − 1)²` in 'regularize' mode. */
  override objective(x: tf.Tensor, options: ElboOptions): tf.Scalar {
    return this.withoutInputCheck(() => tf.tidy(() => {
      const elbo = this.elbo(x, options).elbo;
      if (this.config.weightConstraint !== 'regularize') return elbo;
      const squaredNorms = tf.sum(tf.square(this.firstLayerWeight()), 1);
      return tf.sub(elbo, tf.mul(tf.sum(tf.square(tf.sub(squaredNorms, 1))), this.config.penaltyWeight)) as tf.Scalar;
    }));
  }

  /**
   * 'rescale' mode: W_h ← W_h/‖W_h‖, with ν_h, τ_h, α_h multiplied by ‖W_h‖ (F and S_2 unchanged) unless
   * `rescalePreservesFunction` is false. No reads from the device.
   */
  override applyConstraints(): void {
    if (this.config.weightConstraint !== 'rescale') return;
    tf.tidy(() => {
      if (this.config.rescalePreservesFunction) {
        this.rescaleLatentsBy(this.weightColumnNorms());
      } else {
        const w = this.firstLayerWeight();
        w.assign(tf.div(w, tf.norm(w, 'euclidean', 1, true)));
      }
    });
  }

  /**
   * The VAE-1 ↔ VAE-2 map of the VAE-2 section of the paper (arXiv 2010.14860) for factors `c_h > 0`: `W_h ← W_h/c_h`, `ν_h, τ_h ← c_h·ν_h, c_h·τ_h`,
   * `α_h ← c_h·α_h`. Leaves the ELBO and the entropy sum unchanged (arXiv 2010.14860, VAE-2 section).
   */
  rescaleLatents(scale: readonly number[]): void {
    if (scale.length !== this.latentDim || !scale.every((c) => c > 0 && Number.isFinite(c))) {
      throw new InvalidArgumentError('scale', `${this.latentDim} finite numbers > 0`, `[${scale.join(', ')}]`);
    }
    tf.tidy(() => this.rescaleLatentsBy(tf.tensor1d([...scale], 'float32')));
  }

  private rescaleLatentsBy(c: tf.Tensor1D): void {
    const w = this.firstLayerWeight();
    w.assign(tf.div(w, tf.expandDims(c, 1)));
    this.latentEncoder.rescaleLatents(c);
    this.logPriorVariance.assign(tf.add(this.logPriorVariance, tf.mul(tf.log(c), 2)));
  }

  /**
   * VAE-2's counterpart of {@link ScalarGaussianVae.normalizeLatentMoments}: α_h² ← m_h (on the device), the
   * closed-form optimum of the prior variances; the decoder's unit-norm columns stay as they are.
   */
  override normalizeLatentMoments(x: tf.Tensor): void {
    const m = this.latentSecondMoments(x);
    tf.tidy(() => this.logPriorVariance.assign(tf.log(m)));
    m.dispose();
  }

  /** Sets α_h² (e.g. to m_h). */
  setPriorVariance(variance: readonly number[]): void {
    if (variance.length !== this.latentDim || !variance.every((v) => v > 0 && Number.isFinite(v))) {
      throw new InvalidArgumentError('variance', `${this.latentDim} finite numbers > 0`, `[${variance.join(', ')}]`);
    }
    tf.tidy(() => this.logPriorVariance.assign(tf.log(tf.tensor1d([...variance], 'float32'))));
  }

  /** σ² ← R/D and α_h² ← m_h over all of `x` (arXiv 2010.14860, stationary-point conditions); then `elbo = entropies().sum` for these samples. */
  override setOptimalVariances(x: tf.Tensor, options: OptimalVarianceOptions): void {
    const optimum = this.optimalVariances(x, options);
    this.setDecoderVariance(optimum.decoderVariance!);
    this.setPriorVariance(optimum.priorVariances!);
  }

  /** `{ decoderVariance: R/D, priorVariances: m }` over all of `x`. */
  override optimalVariances(x: tf.Tensor, options: OptimalVarianceOptions): OptimalVariances {
    const { squaredError, secondMoments } = this.statistics(x, options);
    return { decoderVariance: squaredError / this.dataDim, priorVariances: secondMoments };
  }
}
