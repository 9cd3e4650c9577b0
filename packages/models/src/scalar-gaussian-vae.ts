import * as tf from '@tensorflow/tfjs-core';
import { defineClassId, deriveSeed, InvalidArgumentError, LOG_2PI, LOG_2PI_E } from '@trientropy/distributions';
import type { LatentEncoder } from './latent-encoder.js';
import type { Mlp } from './mlp.js';
import { gaussianLogLikelihoodFromSquaredError, meanSquaredErrorSum } from './gaussian-elbo-ops.js';
import { ownedVariable } from './owned-variable.js';
import { type LikelihoodTerms, VaeBase } from './vae-base.js';
import type { ElboOptions, OptimalVarianceOptions, OptimalVariances } from './vae-terms.js';
import { seededRandomNormal } from '@trientropy/distributions';
import { checkInteger, checkPositiveInteger } from './config-checks.js';
import { type LeastSquaresStatistics, leastSquaresAffineMap, mergeLeastSquaresStatistics, sumOfSquaredResiduals } from './decoder-output-refit.js';
import { checkBatch } from './batch-checks.js';
import { canFuseMlpGaussianElbo, fusedMlpGaussianElbo } from './fused-mlp-gaussian-elbo.js';
import { GaussianEncoder } from './gaussian-encoder.js';

/** Options of {@link ScalarGaussianVae.refitDecoderOutputLayer}. */
export interface DecoderOutputRefitOptions {
  /** Seeds the draws z ~ q(z|x); chunk i uses `deriveSeed(seed, i)`, as {@link ScalarGaussianVae.statistics} does. */
  seed: number;
  /** Draws of z per data point. Default 4. */
  samples?: number;
  /** Rows per forward pass; bounds memory. Default 2000. */
  batchSize?: number;
}

/** What {@link ScalarGaussianVae.refitDecoderOutputLayer} did, with R = mean over rows and draws of ‖x − μ(z)‖² on its draws. */
export interface DecoderOutputRefitResult {
  squaredErrorBefore: number;
  squaredErrorAfter: number;
  /** false when the solve would not have lowered R (float rounding at an optimum): the layer was left as it was. */
  applied: boolean;
}

/** Parts of a {@link ScalarGaussianVae}, built by the subclass before `super`. */
export interface ScalarGaussianVaeParts {
  dataDim: number;
  latentDim: number;
  encoder: LatentEncoder;
  decoderMean: Mlp;
  initialLogDecoderVariance: number;
  /** false for VAE-0, whose σ² is fixed. */
  learnableDecoderVariance: boolean;
  scope: string;
}

/**
 * A VAE with decoder `N(x; μ(z), σ² I_D)` and one scalar σ² stored as log σ² (VAE-0, VAE-1, VAE-2, linear
 * VAE). The expected log-likelihood is written through R = `mean_n E_q ‖x_n − μ(z)‖²`:
 * `−(D/2)(log 2π + log σ²) − R/(2σ²)`, so that the σ² optimum R/D and the gap identity (derived from arXiv 2010.14860) hold
 * exactly for the samples used. The decoder entropy `(D/2) log(2πe σ²)` does not depend on z.
 */
export abstract class ScalarGaussianVae extends VaeBase {
  static {
    defineClassId(this, '@trientropy/models:ScalarGaussianVae'); // instanceof across the ESM and CJS builds (see VaeBase)
  }

  readonly decoderMean: Mlp;
  /** log σ² of the decoder (a non-trainable variable for VAE-0). */
  readonly logDecoderVariance: tf.Variable<tf.Rank.R0>;
  protected readonly decoderEntropyNeedsSamples = false;

  protected constructor(parts: ScalarGaussianVaeParts) {
    super(parts.dataDim, parts.latentDim, parts.encoder);
    this.decoderMean = parts.decoderMean;
    this.logDecoderVariance = ownedVariable(tf.scalar(parts.initialLogDecoderVariance), parts.learnableDecoderVariance, `${parts.scope}/logDecoderVariance`) as tf.Variable<tf.Rank.R0>;
  }

  namedVariables(): Record<string, tf.Variable> {
    return { ...this.latentEncoder.namedVariables('encoder'), ...this.decoderMean.namedVariables('decoder'), logDecoderVariance: this.logDecoderVariance };
  }

  protected decoderMeanOf(z: tf.Tensor2D): tf.Tensor2D {
    return this.decoderMean.apply(z);
  }

  protected likelihoodTerms(x: tf.Tensor2D, z: tf.Tensor2D, _samples: number): LikelihoodTerms {
    return tf.tidy(() => {
      // R = mean over samples and rows of ‖x − μ(z)‖², then −(D/2)(log 2π + log σ²) − R/(2σ²): each one customGrad
      // op (gaussian-elbo-ops.ts); the sample count is z's rows over x's.
      const squaredError = meanSquaredErrorSum(x, this.decoderMean.apply(z));
      const expectedLogLikelihood = gaussianLogLikelihoodFromSquaredError(this.logDecoderVariance, squaredError, this.dataDim, LOG_2PI);
      return { expectedLogLikelihood, squaredError };
    });
  }

  /**
   * The whole ELBO as one op where the backend has it (@trientropy/backend-native): a GaussianEncoder and decoder of
   * linear/ReLU layers with the standard prior (VAE-0, VAE-1; VAE-2's learnable prior and other activations keep the
   * layer-by-layer path). Same values and gradients, bit for bit (fused-mlp-gaussian-elbo.test.ts).
   */
  protected override fusedElbo(x: tf.Tensor2D, samples: number, seed: number, beta: number): tf.Scalar | undefined {
    const encoder = this.latentEncoder;
    if (!(encoder instanceof GaussianEncoder) || !this.hasStandardPrior() || !canFuseMlpGaussianElbo(encoder.layers, this.decoderMean.layers)) return undefined;
    return tf.tidy(() => fusedMlpGaussianElbo(x, this.latentNoise(x.shape[0], samples, seed), this.logDecoderVariance, encoder.layers, this.decoderMean.layers, beta));
  }

  protected decoderEntropyOf(_z: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => tf.mul(tf.add(this.logDecoderVariance, LOG_2PI_E), 0.5 * this.dataDim) as tf.Scalar);
  }

  /** `n` draws of x from the generative model (z ~ p(z), x ~ N(μ(z), σ² I)). */
  sample(n: number, seed: number): tf.Tensor2D {
    return tf.tidy(() => {
      const mean = this.decoderMean.apply(this.samplePrior(n, seed));
      const noise = seededRandomNormal([n, this.dataDim], deriveSeed(seed, 1));
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

  /** Closed-form optimum of σ² for the current networks, `R/D` (arXiv 2010.14860, VAE-1 section), estimated with the given samples. */
  optimalDecoderVariance(x: tf.Tensor, options: ElboOptions): tf.Scalar {
    return tf.tidy(() => tf.div(this.elbo(x, options).squaredError, this.dataDim) as tf.Scalar);
  }

  /**
   * Rescales every latent so that m_h = 1, the per-latent stationarity condition of the VAE-1 section of the paper (arXiv 2010.14860):
   * `W_h ← √m_h·W_h` (first decoder layer) and `ν_h, τ_h ← ν_h/√m_h, τ_h/√m_h`. The decoder input W z, hence
   * the reconstruction term, is unchanged, and the ELBO rises by `½ Σ_h (m_h − 1 − log m_h) ≥ 0`: a closed-form
   * coordinate-ascent step along the slowest direction of gradient training. Runs on the device (no reads).
   */
  normalizeLatentMoments(x: tf.Tensor): void {
    const m = this.latentSecondMoments(x);
    tf.tidy(() => {
      const c = tf.rsqrt(m) as tf.Tensor1D;
      const w = this.decoderMean.layers[0]!.weight;
      w.assign(tf.div(w, tf.expandDims(c, 1)));
      this.latentEncoder.rescaleLatents(c);
    });
    m.dispose();
  }

  /**
   * Sets the decoder's output layer (weight and bias) to the least-squares fit of x on the last hidden features
   * h(z) at draws z ~ q(z|x): with one shared σ², `E_q log p(x|z) = −(D/2) log(2πσ²) − R/(2σ²)` and the KL do not
   * involve that layer otherwise, so minimising R over it is an exact coordinate-ascent step of the (Monte-Carlo)
   * ELBO, like the linear VAE's closed-form decoder update. A tiny ridge towards the current weights (see
   * decoder-output-refit.ts) keeps ill-determined directions where they are; R on these draws never rises. It
   * is an accelerator, not a certificate: the layer's gradient is zero afterwards on these draws by construction,
   * so training should continue with gradients before a state is judged. Reads the statistics back once.
   */
  refitDecoderOutputLayer(x: tf.Tensor, options: DecoderOutputRefitOptions): DecoderOutputRefitResult {
    this.checkUsable();
    const data = checkBatch(x, this.dataDim);
    const samples = checkPositiveInteger(options.samples ?? 4, 'samples');
    const batchSize = checkPositiveInteger(options.batchSize ?? 2000, 'batchSize');
    const seed = checkInteger(options.seed, 'seed');
    const layers = this.decoderMean.layers;
    const output = layers[layers.length - 1]!;
    const features = output.weight.shape[0]!;
    const d = this.dataDim;
    const n = data.shape[0];
    const packed = tf.tidy(() => {
      const parts: tf.Tensor[] = [];
      for (let start = 0, index = 0; start < n; start += batchSize, index++) {
        const size = Math.min(batchSize, n - start);
        const chunk = tf.slice(data, [start, 0], [size, d]) as tf.Tensor2D;
        const z = this.sampleLatents(this.latentEncoder.encode(chunk), samples, deriveSeed(seed, index));
        const phi = layers.slice(0, -1).reduce((h, layer) => layer.apply(h), z);
        const target = tf.tile(chunk, [samples, 1]);
        const phiMean = tf.mean(phi, 0);
        const targetMean = tf.mean(target, 0);
        const phiCentred = tf.sub(phi, phiMean) as tf.Tensor2D;
        const targetCentred = tf.sub(target, targetMean) as tf.Tensor2D;
        parts.push(phiMean, targetMean, tf.reshape(tf.matMul(phiCentred, phiCentred, true, false), [-1]), tf.reshape(tf.matMul(phiCentred, targetCentred, true, false), [-1]), tf.reshape(tf.sum(tf.square(targetCentred)), [1]));
      }
      return tf.concat(parts);
    });
    const [values, currentWeight, currentBias] = [packed, output.weight, output.bias].map((t) => Float64Array.from(t.dataSync()));
    packed.dispose();
    if (!values!.every(Number.isFinite)) throw new InvalidArgumentError('x', 'data whose decoder features h(z) are finite', 'non-finite features or data');
    const width = features + d + features * features + features * d + 1;
    let merged: LeastSquaresStatistics | undefined;
    for (let start = 0, offset = 0; start < n; start += batchSize, offset += width) {
      let at = offset;
      const take = (count: number) => values!.subarray(at, (at += count));
      const chunk: LeastSquaresStatistics = {
        rows: Math.min(batchSize, n - start) * samples,
        featureMean: take(features),
        targetMean: take(d),
        featureScatter: take(features * features),
        crossScatter: take(features * d),
        targetScatter: take(1)[0]!,
      };
      merged = merged === undefined ? chunk : mergeLeastSquaresStatistics(merged, chunk);
    }
    const stats = merged!;
    const fit = leastSquaresAffineMap(stats, currentWeight!);
    const before = sumOfSquaredResiduals(stats, currentWeight!, currentBias!) / stats.rows;
    const after = sumOfSquaredResiduals(stats, fit.weight, fit.bias) / stats.rows;
    if (!(after < before)) return { squaredErrorBefore: before, squaredErrorAfter: before, applied: false };
    tf.tidy(() => {
      output.weight.assign(tf.tensor2d(Float32Array.from(fit.weight), [features, d]));
      output.bias.assign(tf.tensor1d(Float32Array.from(fit.bias)));
    });
    return { squaredErrorBefore: before, squaredErrorAfter: after, applied: true };
  }

  /** σ² ← R/D over all of `x` (arXiv 2010.14860, stationary-point conditions). */
  setOptimalVariances(x: tf.Tensor, options: OptimalVarianceOptions): void {
    this.setDecoderVariance(this.optimalVariances(x, options).decoderVariance!);
  }

  /** `{ decoderVariance: R/D }` over all of `x`. */
  optimalVariances(x: tf.Tensor, options: OptimalVarianceOptions): OptimalVariances {
    return { decoderVariance: this.statistics(x, options).squaredError / this.dataDim };
  }
}
