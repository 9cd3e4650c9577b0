import * as tf from '@tensorflow/tfjs-core';
import { type DataMatrix, dataMatrix, generateStreamingSegments } from '@trientropy/data';
import { DEBIAN_FASHION_MNIST_DIR, loadDataset } from '@trientropy/data/node';
import { deriveNonNegativeSeed, deriveSeed } from '@trientropy/distributions';
import { type AnyVae, createVaeModel, ppcaMaximumLikelihood } from '@trientropy/models';
import { type EpochRecord, type StationarityCertificate, cosineSchedule, evaluateVae, iwaeBound, nameEndsWith, stationarityCertificate, streamingModelSelection, trainVae } from '@trientropy/trainers';
import { existsSync } from 'node:fs';

/** How large the verification runs are: `quick` for tests, `default` (minutes on 2 cores), `full` (the paper's sizes). */
export type VerifySize = 'quick' | 'default' | 'full';

/** One row of the verification table. All values in nats per data point (streaming: per batch of points, summed). */
export interface VerifyRow {
  experiment: string;
  /** The paper's figure or section the experiment reproduces. */
  paper: string;
  elbo: number;
  entropySum: number;
  /** |ELBO − entropy sum| / |ELBO| measured on a model trained by gradients alone: no closed-form step was ever applied. */
  rawGap: number;
  /** The independent reference the row is checked against, and its value (NaN where it is a choice, not a number). */
  reference: { name: string; value: number };
  /**
   * The stationarity certificate of the trained model on its training rows (gradient gain per parameter group and
   * the raw gap), and whether the row's verdict requires it; null where it does not apply (streaming: many online models).
   */
  certificate: VerifyCertificate | null;
  /** What must hold for the row to pass, in words. */
  criterion: string;
  passed: boolean;
  /** Why it failed, if it did. */
  failure?: string;
  seconds: number;
  /** Sizes used, for the record. */
  details: Record<string, unknown>;
}

/** The certificate's summary in a verification row. */
export interface VerifyCertificate {
  converged: boolean;
  /** Whether the row's pass/fail includes `converged`. */
  required: boolean;
  gradientMethod: StationarityCertificate['gradientMethod'];
  worstGroup: string;
  maxRelativeGain: number;
  /** The gain tolerance the verdict used. */
  gainTolerance: number;
  reasons: string[];
}

/** Relative gap tolerance of every Gaussian row: |ELBO − S| / |ELBO| below 1 % (the paper's Figure 1 shows 0–4 %). */
export const RAW_GAP_TOLERANCE = 0.01;

/** Progress hook: one line per phase. */
export type VerifyProgress = (text: string) => void;

interface TrainedResult {
  model: AnyVae;
  final: EpochRecord | undefined;
  elbo: number;
  entropySum: number;
  rawGap: number;
  epochs: number;
  certificate: StationarityCertificate;
}

function summary(certificate: StationarityCertificate, required: boolean): VerifyCertificate {
  return {
    converged: certificate.converged,
    required,
    gradientMethod: certificate.gradientMethod,
    worstGroup: certificate.worstGroup,
    maxRelativeGain: certificate.maxRelativeGain,
    gainTolerance: certificate.tolerances.gain,
    reasons: certificate.reasons,
  };
}

function subset(data: DataMatrix, rows: number): DataMatrix {
  return rows >= data.rows ? data : dataMatrix(data.values.slice(0, rows * data.cols), rows, data.cols);
}

/**
 * Trains by Adam alone (`varianceUpdate: 'gradient'`, no latent rescaling), so ELBO − entropy sum is zero only
 * if training reached a stationary point (the closed-form steps would make it zero at any weights: paper Sec. 6,
 * gap identity), then evaluates ELBO and entropy sum with the same samples.
 */
async function trainByGradients(model: AnyVae, data: DataMatrix, options: { epochs: number; batchSize: number; learningRate: number; finalFraction?: number; samples: number; seed: number; evalSamples: number; varianceLearningRate?: number }, progress: VerifyProgress, label: string): Promise<TrainedResult> {
  let last = Date.now();
  const result = await trainVae(model, data, {
    epochs: options.epochs,
    batchSize: options.batchSize,
    learningRate: cosineSchedule(options.learningRate, options.finalFraction ?? 0.05),
    samples: options.samples,
    seed: options.seed,
    // The paper's "fast" parameter group: σ² by its own, faster Adam (still a gradient method, no closed form).
    ...(options.varianceLearningRate === undefined
      ? {}
      : { parameterGroups: [{ name: 'decoder variance', select: nameEndsWith('logDecoderVariance'), learningRate: cosineSchedule(options.varianceLearningRate, 0.05) }] }),
    varianceUpdate: 'gradient',
    normalizeLatents: false,
    evaluation: { samples: 1 },
    callbacks: {
      onEpochEnd: (record) => {
        if (Date.now() - last > 15_000 || record.epoch === options.epochs) {
          progress(`  ${label}: epoch ${record.epoch}/${options.epochs}, ELBO ${record.elbo.toFixed(4)}, entropy sum ${record.entropySum.toFixed(4)}`);
          last = Date.now();
        }
      },
    },
  });
  progress(`  ${label}: final evaluation (${options.evalSamples} samples/point)…`);
  const x = tf.tensor2d(data.values, [data.rows, data.cols], 'float32');
  try {
    const evaluation = await evaluateVae(model, x, { seed: deriveSeed(options.seed, 1), samples: options.evalSamples });
    const elbo = evaluation.linear?.exactElbo ?? evaluation.elbo;
    const rawGap = Math.abs(elbo - evaluation.entropySum) / Math.abs(elbo);
    progress(`  ${label}: stationarity certificate on ${data.rows} rows…`);
    // No closed-form step was ever applied, so this gap is the raw gap the certificate judges.
    const certificate = await stationarityCertificate(model, x, { seed: deriveSeed(options.seed, 7), rawGapNats: elbo - evaluation.entropySum });
    return { model, final: result.final, elbo, entropySum: evaluation.entropySum, rawGap, epochs: result.epochs.length, certificate };
  } finally {
    x.dispose();
  }
}

function failures(checks: [boolean, string][]): string | undefined {
  const failed = checks.filter(([ok]) => !ok).map(([, why]) => why);
  return failed.length === 0 ? undefined : failed.join('; ');
}

/**
 * Whether a row's verdict requires the stationarity certificate. At the paper's sizes (`--full`) every Gaussian
 * row does. At the default size (minutes) the linear VAE does (exact gradients, a known optimum); VAE-1 and VAE-3,
 * trained by Monte-Carlo Adam for a few minutes, end with gradient gains of about 1e-4 to 1e-3 of |ELBO|, above
 * the certificate's 1e-4, so there it is reported, not required (README: `trientropy verify`). `--quick` rows
 * are not expected to pass.
 */
export function certificateRequired(experiment: 'linear' | 'vae1' | 'vae3', size: VerifySize): boolean {
  if (size === 'full') return true;
  return size === 'default' && experiment === 'linear';
}

function certificateCheck(r: TrainedResult, required: boolean): [boolean, string] {
  return [!required || r.certificate.converged, `not certified stationary: ${r.certificate.reasons.join('; ')}`];
}

/** What a gradient-trained row says beyond its training result: its name, its reference and its own checks. */
interface GradientRowSpec {
  experiment: string;
  paper: string;
  reference: VerifyRow['reference'];
  /** Checks between the raw-gap check and the certificate check, each with its failure message. */
  checks: [boolean, string][];
  /** The criterion these checks state (after the raw gap's), or '' for none. */
  criterion: string;
  certificateRequired: boolean;
  started: number;
  details: Record<string, unknown>;
}

/**
 * The row of a gradient-trained experiment (linear VAE, VAE-1, VAE-3): the raw-gap check, the row's own checks, then
 * the certificate check, and the criterion saying the same in words.
 */
function gradientRow(r: TrainedResult, spec: GradientRowSpec): VerifyRow {
  const failure = failures([
    [r.rawGap <= RAW_GAP_TOLERANCE, `raw gap ${(100 * r.rawGap).toFixed(2)} % of |ELBO| > ${100 * RAW_GAP_TOLERANCE} %`],
    ...spec.checks,
    certificateCheck(r, spec.certificateRequired),
  ]);
  return {
    experiment: spec.experiment,
    paper: spec.paper,
    elbo: r.elbo,
    entropySum: r.entropySum,
    rawGap: r.rawGap,
    reference: spec.reference,
    certificate: summary(r.certificate, spec.certificateRequired),
    criterion: `raw gap/|ELBO| ≤ ${100 * RAW_GAP_TOLERANCE} %${spec.criterion === '' ? '' : `, ${spec.criterion}`}${spec.certificateRequired ? ', certified stationary' : ''}`,
    passed: failure === undefined,
    ...(failure ? { failure } : {}),
    seconds: (Date.now() - spec.started) / 1000,
    details: spec.details,
  };
}

const SIZES = {
  // The linear VAE's default decays its learning rate to 1 % with 30 samples per point, so that Adam's end state is
  // certified stationary (exact-gradient gains ≤ 1e-5 of |ELBO|; 10 samples and 5 % ended at 8e-5).
  linear: { quick: { rows: 500, epochs: 10, batch: 250, lr: 0.02, final: 0.05, samples: 2 }, default: { rows: 10_000, epochs: 150, batch: 1000, lr: 0.02, final: 0.01, samples: 30 }, full: { rows: 10_000, epochs: 1500, batch: 2000, lr: 1e-3, final: 0.05, samples: 100 } },
  vae1: { quick: { rows: 600, epochs: 2, batch: 200, lr: 3e-3, samples: 1 }, default: { rows: 10_000, epochs: 15, batch: 500, lr: 3e-3, samples: 1 }, full: { rows: 60_000, epochs: 200, batch: 2000, lr: 1e-3, samples: 100 } },
  vae3: { quick: { rows: 1000, epochs: 10, batch: 250, lr: 3e-3, samples: 1 }, default: { rows: 10_000, epochs: 100, batch: 500, lr: 3e-3, samples: 1 }, full: { rows: 10_000, epochs: 3000, batch: 2000, lr: 1e-3, samples: 100 } },
  streaming: { quick: { segment: 400, batch: 20, lr: 0.05, samples: 2 }, default: { segment: 4000, batch: 20, lr: 0.05, samples: 4 }, full: { segment: 100_000, batch: 10, lr: 2e-3, samples: 100 } },
} as const;

/** Linear VAE on PCA data against the closed-form pPCA maximum likelihood (paper Figure 1a). */
export async function verifyLinearPca(size: VerifySize, seed: number, progress: VerifyProgress): Promise<VerifyRow> {
  const s = SIZES.linear[size];
  const started = Date.now();
  const data = subset((await loadDataset('synthetic:pca', { seed })).data, s.rows);
  const reference = ppcaMaximumLikelihood(data, 2).logLikelihood;
  progress(`linear VAE on synthetic:pca (${data.rows} × ${data.cols}), ${s.epochs} epochs; pPCA maximum log-likelihood ${reference.toFixed(4)}`);
  const model = createVaeModel('linear', { dataDim: data.cols, latentDim: 2, seed });
  try {
    const r = await trainByGradients(model, data, { epochs: s.epochs, batchSize: s.batch, learningRate: s.lr, finalFraction: s.final, samples: s.samples, seed, evalSamples: 20 }, progress, 'linear');
    const distance = Math.abs(r.elbo - reference);
    return gradientRow(r, {
      experiment: 'linear VAE, PCA data',
      paper: 'Fig. 1a',
      reference: { name: 'pPCA max. log-lik.', value: reference },
      checks: [[distance <= 0.05, `exact ELBO ${r.elbo.toFixed(4)} is ${distance.toFixed(4)} nats from the pPCA optimum (> 0.05)`]],
      criterion: '|ELBO − pPCA| ≤ 0.05',
      certificateRequired: certificateRequired('linear', size),
      started,
      details: { rows: data.rows, epochs: r.epochs, batchSize: s.batch, learningRate: s.lr, finalLearningRateFraction: s.final, samples: s.samples, elbo: 'exact (sampling-free)' },
    });
  } finally {
    model.dispose();
  }
}

/** VAE-1 on Fashion-MNIST (the paper's Figure 1b uses MNIST), or on a nonlinear synthetic set when it is absent. */
export async function verifyVae1(size: VerifySize, seed: number, progress: VerifyProgress, dataDir?: string): Promise<VerifyRow> {
  const s = SIZES.vae1[size];
  const started = Date.now();
  const haveImages = dataDir !== undefined || existsSync(DEBIAN_FASHION_MNIST_DIR);
  const spec = haveImages ? 'fashion-mnist' : 'synthetic:swiss-roll';
  const loaded = await loadDataset(spec, { seed, ...(dataDir ? { dataDir } : {}) });
  const data = subset(loaded.data, s.rows);
  progress(`VAE-1 [50, 50] on ${spec} (${data.rows} × ${data.cols}), ${s.epochs} epochs${haveImages ? '' : ` (Fashion-MNIST not found in ${DEBIAN_FASHION_MNIST_DIR}: apt-get install dataset-fashion-mnist)`}`);
  const model = createVaeModel('vae-1', { dataDim: data.cols, latentDim: 2, hiddenSizes: [50, 50], seed });
  try {
    const r = await trainByGradients(model, data, { epochs: s.epochs, batchSize: s.batch, learningRate: s.lr, samples: s.samples, seed, evalSamples: 10, varianceLearningRate: 0.05 }, progress, 'vae-1');
    const points = subset(data, Math.min(data.rows, 2000));
    progress(`  vae-1: IWAE bound (k = 20) on ${points.rows} points…`);
    const iwae = await iwaeBound(model, points, { k: 20, seed: deriveSeed(seed, 5) });
    return gradientRow(r, {
      experiment: `VAE-1, ${spec}`,
      paper: 'Fig. 1b',
      reference: { name: `IWAE k=20 (${points.rows} pts)`, value: iwae.value },
      checks: [],
      criterion: '',
      certificateRequired: certificateRequired('vae1', size),
      started,
      details: { data: spec, rows: data.rows, epochs: r.epochs, batchSize: s.batch, learningRate: s.lr, varianceLearningRate: 0.05, iwaeStandardError: iwae.standardError },
    });
  } finally {
    model.dispose();
  }
}

/** VAE-3 (σ²(z) decoder) on PCA-ring data (paper Figure 1c), against the pPCA maximum likelihood it should beat. */
export async function verifyVae3(size: VerifySize, seed: number, progress: VerifyProgress): Promise<VerifyRow> {
  const s = SIZES.vae3[size];
  const started = Date.now();
  const data = subset((await loadDataset('synthetic:pca-ring', { seed })).data, s.rows);
  const reference = ppcaMaximumLikelihood(data, 2).logLikelihood;
  progress(`VAE-3 [50, 50] on synthetic:pca-ring (${data.rows} × ${data.cols}), ${s.epochs} epochs; pPCA maximum log-likelihood ${reference.toFixed(4)}`);
  const model = createVaeModel('vae-3', { dataDim: data.cols, latentDim: 2, hiddenSizes: [50, 50], seed });
  try {
    const r = await trainByGradients(model, data, { epochs: s.epochs, batchSize: s.batch, learningRate: s.lr, samples: s.samples, seed, evalSamples: 20 }, progress, 'vae-3');
    return gradientRow(r, {
      experiment: 'VAE-3, PCA-ring data',
      paper: 'Fig. 1c',
      reference: { name: 'pPCA max. log-lik.', value: reference },
      checks: [[r.elbo > reference, `ELBO ${r.elbo.toFixed(4)} does not exceed the linear model's optimum ${reference.toFixed(4)}`]],
      criterion: 'ELBO > pPCA',
      certificateRequired: certificateRequired('vae3', size),
      started,
      details: { rows: data.rows, epochs: r.epochs, batchSize: s.batch, learningRate: s.lr },
    });
  } finally {
    model.dispose();
  }
}

/**
 * Streaming model selection (paper Sec. 4.3 / 5.3): linear VAEs with H = 2, 4, 6 trained online on three segments
 * whose true latent dimension is 6, then 2, then 4; the entropy-sum BIC averaged over the last quarter of each
 * segment must pick the true H. ELBO and entropy sum are the batch sums averaged over those batches.
 */
export async function verifyStreaming(size: VerifySize, seed: number, progress: VerifyProgress): Promise<VerifyRow> {
  const s = SIZES.streaming[size];
  const started = Date.now();
  const truth = [6, 2, 4];
  const stream = generateStreamingSegments({ segmentLength: s.segment, activeDims: truth, seed: deriveNonNegativeSeed(seed, 1) });
  progress(`streaming model selection: 3 segments × ${s.segment} points (true H = ${truth.join(', ')}), candidates H = 2, 4, 6, batches of ${s.batch}`);
  const result = await streamingModelSelection(stream.data, {
    latentDims: [2, 4, 6],
    batchSize: s.batch,
    learningRate: s.lr,
    samples: s.samples,
    seed,
    objective: size === 'full' ? 'monte-carlo' : 'exact',
  });
  const perSegment = s.segment / s.batch;
  const chosen: number[] = [];
  let elbo = 0;
  let entropySum = 0;
  for (let segment = 0; segment < truth.length; segment++) {
    const late = result.batches.slice((segment + 1) * perSegment - Math.floor(perSegment / 4), (segment + 1) * perSegment);
    const meanBic = result.latentDims.map((_, i) => late.reduce((sum, b) => sum + b.entropyBic[i]!, 0) / late.length);
    const best = meanBic.indexOf(Math.min(...meanBic));
    chosen.push(result.latentDims[best]!);
    // The chosen model's batch sums, averaged over the late batches and over segments.
    elbo += late.reduce((sum, b) => sum + b.elbos[best]!, 0) / late.length / truth.length;
    entropySum += late.reduce((sum, b) => sum + b.entropySums[best]!, 0) / late.length / truth.length;
  }
  const rawGap = Math.abs(elbo - entropySum) / Math.abs(elbo);
  const failure = failures([[chosen.every((h, i) => h === truth[i]), `chose H = ${chosen.join(', ')}, expected ${truth.join(', ')}`]]);
  return {
    experiment: `streaming selection, H = ${chosen.join(', ')}`,
    paper: 'Sec. 4.3',
    elbo,
    entropySum,
    rawGap,
    reference: { name: `true H = ${truth.join(', ')}`, value: Number.NaN },
    certificate: null,
    criterion: 'entropy-BIC picks the true H in each segment',
    passed: failure === undefined,
    ...(failure ? { failure } : {}),
    seconds: (Date.now() - started) / 1000,
    details: { segmentLength: s.segment, batchSize: s.batch, learningRate: s.lr, objective: size === 'full' ? 'monte-carlo' : 'exact', chosen, perBatch: 'ELBO and entropy sum are batch sums (nats per batch)' },
  };
}
