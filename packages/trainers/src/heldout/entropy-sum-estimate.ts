import * as tf from '@tensorflow/tfjs-core';
import type { DataMatrix } from '@trientropy/data';
import { Bernoulli, ContinuousBernoulli, deriveSeed, LOG_2PI_E } from '@trientropy/distributions';
import { BernoulliVae, ScalarGaussianVae, Vae3, VaeBase, type VaeModel } from '@trientropy/models';
import { type StationarityCertificate, type StationarityCertificateOptions, stationarityCertificate } from '../diagnostics/stationarity-certificate.js';
import { type PerPointEstimate, integer, meanWithStandardError, perRowValues, positiveInteger } from './per-point-estimate.js';
import { seededRandomNormal } from '@trientropy/distributions';

/** Options of {@link entropySumEstimate}. */
export interface EntropySumEstimateOptions {
  /**
   * Seed of the samples that only some parts need: the decoder entropy of VAE-3 and Bernoulli decoders (which
   * depends on z) and R of the trust diagnostic. Chunk i uses `seed + i`. Default 0.
   */
  seed?: number;
  /** Samples of z per point for those parts. Default 10 for decoder entropies, see `trustSamples` for R. */
  samples?: number;
  /**
   * Also compute the variance ratio R/(Dσ²) (or Q/D), which needs one decoder pass per sample. Default true;
   * with false the estimate of a scalar-σ² Gaussian VAE uses the encoder only, without sampling.
   */
  varianceRatio?: boolean;
  /** Samples of z per point for R. Default 1. */
  trustSamples?: number;
  /** Largest |predicted gap| / |estimate| for which the estimate is called trustworthy. Default 0.01. */
  tolerance?: number;
  /** Rows per forward pass. Default 1000. */
  batchSize?: number;
  /**
   * The gradient certificate the trust verdict needs ({@link stationarityCertificate}): its options, with `data`
   * the training data to certify on (default: the rows of this estimate). `false` skips it, and the estimate is
   * then never called trustworthy.
   */
  certificate?: false | (StationarityCertificateOptions & { data?: DataMatrix | tf.Tensor2D });
}

/**
 * When the entropy sum can stand in for the ELBO (arXiv 2010.14860, ELBO-estimation application): it equals the ELBO exactly when the gap identity
 * of the gap identity (derived from arXiv 2010.14860), `F − S = (D/2)(1 − ρ) − ½ Σ_h (m_h/α_h² − 1)`, is zero.
 */
export interface EntropySumTrust {
  /**
   * False for VAE-0 (fixed σ², arXiv 2010.14860, VAE-0 definition): the entropy sum is then not the ELBO at
   * convergence; false for Bernoulli decoders: the theorem is proved for Gaussian ones (its exponential-family
   * extension, arXiv 2209.03077, needs a parameterisation criterion that is not checked here).
   */
  theoremApplies: boolean;
  /** ρ = R/(Dσ²) (Q/D for VAE-3); 1 at stationarity. Absent for Bernoulli decoders or when not requested. */
  varianceRatio?: number;
  /** m_h/α_h² per latent (m_h for a standard normal prior); 1 at stationarity. */
  latentMomentRatios: number[];
  /** The gap identity's value of F − S in nats per point, where ρ is known (Gaussian decoders). */
  predictedGap?: number;
  tolerance: number;
  /**
   * Whether the model is at a stationary point, by its gradients ({@link stationarityCertificate}). A zero
   * predicted gap alone proves nothing: the closed-form steps σ² = R/D and m_h = 1 make it zero at any weights.
   */
  certificate?: StationarityCertificate;
  /** `theoremApplies`, |predictedGap| ≤ tolerance·|estimate| and the certificate says converged. */
  trustworthy: boolean;
  /** Why the estimate is not trustworthy, if it is not. */
  reason?: string;
}

/** The entropy-sum estimate of the ELBO and its trust diagnostics. */
export interface EntropySumEstimate extends PerPointEstimate {
  /** Its parts, per point: `value = encoder − prior − decoder`. */
  entropies: { prior: number; encoder: number; decoder: number };
  trust: EntropySumTrust;
}

/**
 * Per-point decoder entropy `E_q H[p(x|z)]` for a chunk: a constant for scalar-σ² Gaussian decoders (no sampling,
 * no decoder pass), a Monte-Carlo average over `samples` draws otherwise.
 */
function decoderEntropyPerPoint(model: VaeBase, x: tf.Tensor2D, z: () => tf.Tensor2D, samples: number): tf.Tensor1D {
  const n = x.shape[0];
  if (model instanceof ScalarGaussianVae) {
    return tf.tidy(() => tf.broadcastTo(tf.mul(tf.add(tf.log(model.decoderVariance()), LOG_2PI_E), 0.5 * model.dataDim), [n]) as tf.Tensor1D);
  }
  return tf.tidy(() => {
    const zs = z();
    let perSample: tf.Tensor1D;
    if (model instanceof Vae3) perSample = tf.mul(tf.sum(tf.add(tf.log(model.decoderVarianceAt(zs)), LOG_2PI_E), 1), 0.5) as tf.Tensor1D;
    else if (model instanceof BernoulliVae) {
      const logits = model.decoderLogits(zs);
      const p = model.config.likelihood === 'bernoulli' ? new Bernoulli({ logits }, { validateArgs: false }) : new ContinuousBernoulli({ logits }, { validateArgs: false });
      perSample = tf.sum(p.entropy(), 1) as tf.Tensor1D;
    } else throw new Error(`model: the decoder entropy is not supported for kind '${model.kind}'`);
    return tf.mean(tf.reshape(perSample, [samples, n]), 0) as tf.Tensor1D;
  });
}

/**
 * The sampling-free estimate of the ELBO at convergence (arXiv 2010.14860, ELBO-estimation application): the entropy sum
 * `S = mean_n H[q(z|x_n)] − H[p(z)] − mean_n E_q H[p(x|z)]` over the rows of `data`, with its standard error over
 * data points. For VAE-0/1/2 and the linear VAE it needs only the encoder's log τ² and σ²: no decoder pass and no
 * sampling (VAE-3 and Bernoulli decoders average their z-dependent decoder entropy over `samples` draws).
 *
 * The trust diagnostics report ρ = R/(Dσ²) and m_h/α_h² and the gap they predict (gap identity derived from arXiv 2010.14860); the estimate is only
 * the ELBO where that gap is ≈ 0, i.e. near a stationary point of a model with learnable σ². Because the closed-form
 * steps of the stationary-point conditions of the paper (arXiv 2010.14860) make that gap 0 at any weights, `trustworthy` also needs the gradient certificate.
 */
export async function entropySumEstimate(model: VaeModel, data: DataMatrix | tf.Tensor2D, options: EntropySumEstimateOptions = {}): Promise<EntropySumEstimate> {
  if (!(model instanceof VaeBase)) throw new Error(`model: the entropy-sum estimate is not supported for kind '${model.kind}' (expected a model of @trientropy/models)`);
  const seed = integer(options.seed ?? 0, 'seed');
  const samples = positiveInteger(options.samples ?? 10, 'samples');
  const trustSamples = positiveInteger(options.trustSamples ?? 1, 'trustSamples');
  const batchSize = positiveInteger(options.batchSize ?? 1000, 'batchSize');
  const tolerance = options.tolerance ?? 0.01;
  if (!(tolerance > 0) || !Number.isFinite(tolerance)) throw new Error(`tolerance: expected a finite number > 0, got ${String(tolerance)}`);
  const gaussian = model instanceof ScalarGaussianVae || model instanceof Vae3;
  const wantRatio = (options.varianceRatio ?? true) && gaussian;
  const h = model.latentDim;
  const d = model.dataDim;
  const priorLogVariance = model.priorLogVariance();
  const variance = model instanceof ScalarGaussianVae ? model.decoderVariance() : tf.scalar(1);
  const [priorLogVarianceValues, sigma2Values] = await Promise.all([priorLogVariance.data(), variance.data()]);
  tf.dispose([priorLogVariance, variance]);
  const priorEntropy = Array.from(priorLogVarianceValues).reduce((s, v) => s + 0.5 * (v + LOG_2PI_E), 0);
  const sigma2 = sigma2Values[0]!;

  const columns = await perRowValues(model, data, batchSize, (chunk, index) => {
    const n = chunk.shape[0];
    const { mean, logVariance } = model.encode(chunk);
    const draw = (k: number, s: number) => (): tf.Tensor2D =>
      tf.reshape(tf.add(mean, tf.mul(tf.exp(tf.mul(logVariance, 0.5)), seededRandomNormal([k, n, h], s))), [k * n, h]) as tf.Tensor2D;
    const encoder = tf.mul(tf.sum(tf.add(logVariance, LOG_2PI_E), 1), 0.5) as tf.Tensor1D;
    const decoder = decoderEntropyPerPoint(model, chunk, draw(samples, deriveSeed(seed, index)), samples);
    const moments = tf.unstack(tf.add(tf.square(mean), tf.exp(logVariance)), 1) as tf.Tensor1D[];
    const out = [encoder, decoder, ...moments];
    if (wantRatio) {
      // ρ_n: R_n/(Dσ²) for scalar σ², Q_n/D for σ²(z) — one decoder pass per trust sample.
      const z = draw(trustSamples, deriveSeed(seed, index + 7919))();
      const xs = tf.reshape(tf.broadcastTo(chunk, [trustSamples, n, d]), [trustSamples * n, d]);
      const residual = tf.square(tf.sub(xs, model.decode(z)));
      const scaled = model instanceof Vae3 ? tf.div(residual, model.decoderVarianceAt(z)) : tf.div(residual, sigma2);
      out.push(tf.div(tf.mean(tf.reshape(tf.sum(scaled, 1), [trustSamples, n]), 0), d) as tf.Tensor1D);
    }
    return out;
  });

  const encoderEntropies = columns[0]!;
  const decoderEntropies = columns[1]!;
  const perPoint = encoderEntropies.map((e, i) => e - priorEntropy - decoderEntropies[i]!);
  const estimate = meanWithStandardError(perPoint, 'per-point entropy sum');
  const meanOf = (values: Float32Array): number => meanWithStandardError(values).value;
  const priorVariances = Array.from(priorLogVarianceValues, Math.exp);
  const latentMomentRatios = columns.slice(2, 2 + h).map((m, j) => meanOf(m) / priorVariances[j]!);
  // Proved for Gaussian decoders with a learnable variance: not VAE-0 (fixed σ²), not Bernoulli decoders ('none').
  const theoremApplies = model.decoderVarianceType !== 'fixed' && model.decoderVarianceType !== 'none';
  const trust: EntropySumTrust = { theoremApplies, latentMomentRatios, tolerance, trustworthy: false };
  if (wantRatio) {
    const rho = meanOf(columns[2 + h]!);
    trust.varianceRatio = rho;
    trust.predictedGap = (d / 2) * (1 - rho) - 0.5 * latentMomentRatios.reduce((s, r) => s + (r - 1), 0);
  }
  if (!theoremApplies) {
    trust.reason =
      model.decoderVarianceType === 'none'
        ? `the entropy-sum theorem is proved for Gaussian decoders (arXiv 2010.14860, Sec. 3), not for the Bernoulli decoder of kind '${model.kind}' (its exponential-family extension, arXiv 2209.03077, needs a parameterisation criterion not checked here)`
        : `the entropy sum is not the ELBO at convergence for kind '${model.kind}' (fixed decoder variance, arXiv 2010.14860, VAE-0 definition)`;
  }
  else if (trust.predictedGap === undefined) trust.reason = gaussian ? 'varianceRatio was not requested, so the gap identity cannot be evaluated' : `no gap identity with a variance ratio for kind '${model.kind}'; compare with monteCarloElbo instead`;
  else if (Math.abs(trust.predictedGap) > tolerance * Math.abs(estimate.value)) {
    trust.reason = `the gap identity predicts ELBO − entropy sum = ${trust.predictedGap.toPrecision(4)} nats, more than ${tolerance} of |${estimate.value.toPrecision(6)}|`;
  } else if (options.certificate === false) trust.reason = 'stationarity was not certified (certificate: false); a zero gap alone follows from the closed-form steps at any weights';
  else {
    const { data: certificateData, ...certificateOptions } = options.certificate ?? {};
    trust.certificate = await stationarityCertificate(model, certificateData ?? data, { seed, ...certificateOptions });
    if (trust.certificate.converged) trust.trustworthy = true;
    else trust.reason = `the model is not certified stationary: ${trust.certificate.reasons.join('; ')}`;
  }
  return { ...estimate, entropies: { prior: priorEntropy, encoder: meanOf(encoderEntropies), decoder: meanOf(decoderEntropies) }, trust };
}
