import * as tf from '@tensorflow/tfjs-core';
import { checkBatch } from './batch-checks.js';
import { checkInteger, checkPositiveInteger } from './config-checks.js';
import { LinearVae } from './linear-vae.js';
import type { DecoderVarianceType, VaeKind } from './vae-kind.js';
import type { VaeModel } from './vae-model.js';
import { Vae2 } from './vae2.js';
import { deriveSeed } from '@trientropy/distributions';

/** Options of {@link variantEntropyTerms}. */
export interface VariantEntropyTermsOptions {
  /** Seed of the Monte-Carlo samples; chunk i of the data uses `seed + i` for both the ELBO and the entropies. */
  seed: number;
  /** Samples of z per data point. Default 10. */
  samples?: number;
  /** Rows per forward pass. Default 2000. */
  batchSize?: number;
}

/**
 * A variant's ELBO, entropy terms and stationarity diagnostics as plain numbers (nats per data point),
 * ready for a metrics.json. The ELBO and the sampled entropies use the same z, so
 * `elbo − entropySum = decoderGap + priorGap` holds exactly (arXiv 2010.14860, convergence application decomposition pairs).
 */
export interface VariantEntropyTerms {
  kind: VaeKind;
  decoderVarianceType: DecoderVarianceType;
  /**
   * Whether the entropy sum equals the ELBO at stationary points for this variant: true for the Gaussian
   * decoders with a learnable variance (VAE-1/2/3, linear); false for VAE-0, whose σ² is fixed (arXiv
   * 2010.14860, VAE-0 definition and ELBO-estimation application), and for Bernoulli decoders: the theorem of
   * arXiv 2010.14860 is proved for Gaussian decoders; Lücke & Warnken (arXiv 2209.03077) extend the result to
   * exponential-family decoders such as Bernoulli under a parameterisation criterion that is not checked here,
   * so it is not reported as applying. Where false, `entropySum` is reported for comparison only.
   */
  entropySumTheoremApplies: boolean;
  elbo: number;
  expectedLogLikelihood: number;
  kl: number;
  entropies: { prior: number; encoder: number; decoder: number };
  entropySum: number;
  /** |elbo − entropySum| / |elbo|. */
  relativeGap: number;
  /** `expectedLogLikelihood + H_dec` (reconstruction pair): 0 at stationarity. */
  decoderGap: number;
  /** `−kl − (H_enc − H_prior)` (regularisation pair): 0 at stationarity. */
  priorGap: number;
  /** R = mean_n E_q ‖x_n − μ(z)‖². */
  squaredError: number;
  /** R/(Dσ²) for scalar-σ² Gaussian decoders (1 at stationarity); Q/D for VAE-3 (both variance models); absent for Bernoulli decoders. */
  varianceRatio?: number;
  /** σ² (VAE-0/1/2, linear) or the global scale s of σ²(z) (VAE-3); absent for Bernoulli decoders. */
  decoderVariance?: number;
  /** m_h per latent. */
  latentSecondMoments: number[];
  /** α_h² per latent (VAE-2 only; otherwise the prior variances are 1). */
  priorVariances?: number[];
  /** m_h/α_h² per latent: 1 at stationarity (m_h for variants with a standard normal prior). */
  latentMomentRatios: number[];
  /** `mean_n ½ log(2πe τ_nh²)` per latent (posterior-collapse detection, arXiv 2010.14860, posterior-collapse application). */
  encoderEntropiesPerLatent: number[];
  /** For the linear VAE only: the exact (sampling-free) ELBO and the exact pPCA log-likelihood of the decoder. */
  linear?: { exactElbo: number; logLikelihood: number };
}

/** Gaussian decoders with a learnable variance: 'fixed' is VAE-0, 'none' a Bernoulli decoder (no variance). */
function entropySumTheoremApplies(type: DecoderVarianceType): boolean {
  return type !== 'fixed' && type !== 'none';
}

const SCALARS = ['elbo', 'expectedLogLikelihood', 'kl', 'squaredError', 'standardized', 'prior', 'encoder', 'decoder', 'sum'] as const;

/**
 * Evaluates every entropy-related quantity of `model` on `x` (all rows, in chunks) and returns plain
 * numbers. Reads back once at the end; leaves no tensors behind.
 */
export async function variantEntropyTerms(model: VaeModel, x: tf.Tensor, options: VariantEntropyTermsOptions): Promise<VariantEntropyTerms> {
  const data = checkBatch(x, model.dataDim);
  const seed = checkInteger(options.seed, 'seed');
  const samples = checkPositiveInteger(options.samples ?? 10, 'samples');
  const batchSize = checkPositiveInteger(options.batchSize ?? 2000, 'batchSize');
  const n = data.shape[0];
  const hasVariance = model.decoderVarianceType !== 'none';
  const totals = tf.tidy(() => {
    let sums = tf.zeros([SCALARS.length]);
    let perLatent = tf.zeros([2, model.latentDim]);
    for (let start = 0, index = 0; start < n; start += batchSize, index++) {
      const size = Math.min(batchSize, n - start);
      const chunk = tf.slice(data, [start, 0], [size, model.dataDim]);
      const sampleOptions = { seed: deriveSeed(seed, index), samples };
      const t = model.elbo(chunk, sampleOptions);
      const e = model.entropies(chunk, sampleOptions);
      const row = tf.stack([t.elbo, t.expectedLogLikelihood, t.kl, t.squaredError, t.standardizedSquaredError ?? tf.scalar(0), e.prior, e.encoder, e.decoder, e.sum]);
      sums = tf.add(sums, tf.mul(row, size));
      perLatent = tf.add(perLatent, tf.mul(tf.stack([model.latentSecondMoments(chunk), model.encoderEntropiesPerLatent(chunk)]), size));
    }
    return {
      sums: tf.div(sums, n),
      perLatent: tf.div(perLatent, n),
      variance: hasVariance ? model.decoderVariance() : tf.scalar(Number.NaN),
      prior: model instanceof Vae2 ? model.priorVariance() : tf.ones([model.latentDim]),
    };
  });
  const [sums, perLatent, variance, prior] = await Promise.all([totals.sums.data(), totals.perLatent.data(), totals.variance.data(), totals.prior.data()]);
  tf.dispose([totals.sums, totals.perLatent, totals.variance, totals.prior]);
  const value = (name: (typeof SCALARS)[number]): number => sums[SCALARS.indexOf(name)]!;
  const h = model.latentDim;
  const moments = Array.from(perLatent.subarray(0, h));
  const priorVariances = Array.from(prior);
  const elbo = value('elbo');
  const entropySum = value('sum');
  const sigma2 = variance[0]!;
  const result: VariantEntropyTerms = {
    kind: model.kind,
    decoderVarianceType: model.decoderVarianceType,
    entropySumTheoremApplies: entropySumTheoremApplies(model.decoderVarianceType),
    elbo,
    expectedLogLikelihood: value('expectedLogLikelihood'),
    kl: value('kl'),
    entropies: { prior: value('prior'), encoder: value('encoder'), decoder: value('decoder') },
    entropySum,
    relativeGap: Math.abs(elbo - entropySum) / Math.abs(elbo),
    decoderGap: value('expectedLogLikelihood') + value('decoder'),
    priorGap: -value('kl') - (value('encoder') - value('prior')),
    squaredError: value('squaredError'),
    latentSecondMoments: moments,
    latentMomentRatios: moments.map((m, i) => m / priorVariances[i]!),
    encoderEntropiesPerLatent: Array.from(perLatent.subarray(h, 2 * h)),
  };
  if (hasVariance) {
    result.decoderVariance = sigma2;
    result.varianceRatio = model.decoderVarianceType === 'latent-dependent' || model.decoderVarianceType === 'per-dimension' ? value('standardized') / model.dataDim : value('squaredError') / (model.dataDim * sigma2);
  }
  if (model instanceof Vae2) result.priorVariances = priorVariances;
  if (model instanceof LinearVae) {
    const exact = tf.tidy(() => model.exactElbo(data).elbo);
    result.linear = { exactElbo: (await exact.data())[0]!, logLikelihood: model.logLikelihood(data as tf.Tensor2D) };
    exact.dispose();
  }
  return result;
}
