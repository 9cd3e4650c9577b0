import * as tf from '@tensorflow/tfjs-core';
import type { DataMatrix } from '@trientropy/data';
import { VaeBase, type VaeKind, type VaeModel, variantEntropyTerms } from '@trientropy/models';
import { type StationarityCertificate, type StationarityCertificateOptions, stationarityCertificate } from './stationarity-certificate.js';

/** Tolerances of the "near stationary" verdict of {@link stationarityReport}. */
export interface StationarityTolerances {
  /** Largest |ρ − 1| with ρ = R/(Dσ²) (Q/D for VAE-3). Default 0.05. */
  varianceRatio?: number;
  /** Largest |m_h/α_h² − 1| over latents. Default 0.05. */
  latentMoments?: number;
  /** Largest |pair difference| / |ELBO| for each decomposition pair. Default 0.01. */
  decomposition?: number;
}

/** Options of {@link stationarityReport}. */
export interface StationarityReportOptions {
  /** Seed of the Monte-Carlo samples of the ELBO (and sampled decoder entropies). */
  seed: number;
  /** Samples of z per data point. Default 10. */
  samples?: number;
  /** Rows per forward pass. Default 2000. */
  batchSize?: number;
  tolerances?: StationarityTolerances;
  /** Options of the gradient certificate that the verdict also needs ({@link stationarityCertificate}). */
  certificate?: StationarityCertificateOptions;
}

/** One latent's averages, scaled by its prior variance: at stationarity the point lies on `x + y = 1`. */
export interface LatentStationarity {
  latent: number;
  /** `mean_n ν_nh² / α_h²`. */
  meanSquaredMean: number;
  /** `mean_n τ_nh² / α_h²`. */
  meanVariance: number;
  /** `x + y − 1 = m_h/α_h² − 1`: the signed distance along the axes from the line x + y = 1. */
  offLine: number;
}

/** The stationarity diagnostics of the experiments of the paper (arXiv 2010.14860) as plain numbers (nats per data point), with a verdict. */
export interface StationarityReport {
  kind: VaeKind;
  points: number;
  elbo: number;
  entropySum: number;
  /** ρ = R/(Dσ²) for scalar-σ² Gaussian decoders, Q/D for VAE-3; absent for Bernoulli decoders. */
  varianceRatio?: number;
  /** m_h per latent. */
  latentSecondMoments: number[];
  /** m_h/α_h² (VAE-2; m_h otherwise): 1 at stationarity. */
  latentMomentRatios: number[];
  latents: LatentStationarity[];
  /**
   * The two pairs that match separately at a stationary point (arXiv 2010.14860, convergence application): the reconstruction term against
   * `−H_dec`, and `−KL` against `H_enc − H_prior`; each difference is 0 there.
   */
  decomposition: {
    reconstruction: number;
    negativeDecoderEntropy: number;
    decoderDifference: number;
    negativeKl: number;
    encoderMinusPriorEntropy: number;
    priorDifference: number;
  };
  tolerances: Required<StationarityTolerances>;
  /** Each check of the verdict; `undefined` where it does not apply (no variance ratio for Bernoulli decoders). */
  checks: { varianceRatio?: boolean; latentMoments: boolean; decoderPair: boolean; priorPair: boolean };
  /** Whether the entropy-sum theorem applies at all (false for VAE-0, whose σ² is fixed). */
  theoremApplies: boolean;
  /**
   * The gradient certificate at this state ({@link stationarityCertificate}). The checks above follow from the
   * closed-form steps of the stationary-point conditions of the paper (arXiv 2010.14860) at any weights; the certificate does not.
   */
  certificate: StationarityCertificate;
  /** The theorem applies, every applicable check passes and the certificate says converged. */
  nearStationary: boolean;
}

function tolerance(value: number | undefined, fallback: number, argument: string): number {
  const t = value ?? fallback;
  if (!(t > 0) || !Number.isFinite(t)) throw new Error(`tolerances.${argument}: expected a finite number > 0, got ${String(t)}`);
  return t;
}

/**
 * Checks how close `model` is to a stationary point on `data` (arXiv 2010.14860, experiments): ρ = R/(Dσ²) ≈ 1, m_h ≈ α_h² for every
 * latent (the per-latent points (mean ν², mean τ²)/α_h² on the line x + y = 1), and the two decomposition pairs
 * matching. The verdict `nearStationary` is: theorem applies, |ρ − 1| ≤ tolerances.varianceRatio,
 * max_h |m_h/α_h² − 1| ≤ tolerances.latentMoments, and each pair difference ≤ tolerances.decomposition·|ELBO|.
 * By the gap identity (gap identity derived from arXiv 2010.14860) the pair differences are `(D/2)(1 − ρ)` and `−½ Σ_h (m_h/α_h² − 1)`; the closed-form
 * steps σ² = R/D and m_h = 1 make all of these pass at any weights, so the verdict also needs the gradient
 * certificate ({@link stationarityCertificate}) to say converged.
 */
export async function stationarityReport(model: VaeModel, data: DataMatrix | tf.Tensor2D, options: StationarityReportOptions): Promise<StationarityReport> {
  if (!(model instanceof VaeBase)) throw new Error(`model: the stationarity report is not supported for kind '${model.kind}' (expected a model of @trientropy/models)`);
  const tolerances = {
    varianceRatio: tolerance(options.tolerances?.varianceRatio, 0.05, 'varianceRatio'),
    latentMoments: tolerance(options.tolerances?.latentMoments, 0.05, 'latentMoments'),
    decomposition: tolerance(options.tolerances?.decomposition, 0.01, 'decomposition'),
  };
  const batchSize = options.batchSize ?? 2000;
  const x = data instanceof tf.Tensor ? data : tf.tensor2d(data.values, [data.rows, data.cols], 'float32');
  try {
    const terms = await variantEntropyTerms(model, x, { seed: options.seed, samples: options.samples ?? 10, batchSize });
    const n = x.shape[0];
    const squaredMeans = tf.tidy(() => {
      let sum = tf.zeros([model.latentDim]);
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        sum = tf.add(sum, tf.sum(tf.square(model.encode(tf.slice(x, [start, 0], [size, x.shape[1]])).mean), 0));
      }
      return tf.div(sum, n);
    });
    const meanNu2 = Array.from(await squaredMeans.data());
    squaredMeans.dispose();
    const priorVariances = terms.priorVariances ?? terms.latentSecondMoments.map(() => 1);
    const latents = terms.latentSecondMoments.map((m, h) => {
      const nu2 = meanNu2[h]! / priorVariances[h]!;
      const tau2 = (m - meanNu2[h]!) / priorVariances[h]!;
      return { latent: h, meanSquaredMean: nu2, meanVariance: tau2, offLine: nu2 + tau2 - 1 };
    });
    const decomposition = {
      reconstruction: terms.expectedLogLikelihood,
      negativeDecoderEntropy: -terms.entropies.decoder,
      decoderDifference: terms.decoderGap,
      negativeKl: -terms.kl,
      encoderMinusPriorEntropy: terms.entropies.encoder - terms.entropies.prior,
      priorDifference: terms.priorGap,
    };
    const certificate = await stationarityCertificate(model, x, { seed: options.seed, ...options.certificate });
    const scale = Math.abs(terms.elbo);
    const checks: StationarityReport['checks'] = {
      latentMoments: terms.latentMomentRatios.every((r) => Math.abs(r - 1) <= tolerances.latentMoments),
      decoderPair: Math.abs(terms.decoderGap) <= tolerances.decomposition * scale,
      priorPair: Math.abs(terms.priorGap) <= tolerances.decomposition * scale,
    };
    if (terms.varianceRatio !== undefined) checks.varianceRatio = Math.abs(terms.varianceRatio - 1) <= tolerances.varianceRatio;
    const report: StationarityReport = {
      kind: model.kind,
      points: n,
      elbo: terms.elbo,
      entropySum: terms.entropySum,
      latentSecondMoments: terms.latentSecondMoments,
      latentMomentRatios: terms.latentMomentRatios,
      latents,
      decomposition,
      tolerances,
      checks,
      theoremApplies: terms.entropySumTheoremApplies,
      certificate,
      nearStationary: terms.entropySumTheoremApplies && Object.values(checks).every((c) => c !== false) && certificate.converged,
    };
    if (terms.varianceRatio !== undefined) report.varianceRatio = terms.varianceRatio;
    return report;
  } finally {
    if (x !== data) x.dispose();
  }
}
