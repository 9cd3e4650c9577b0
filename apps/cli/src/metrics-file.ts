import { join } from 'node:path';
import type { Evaluation, FinalPolishReport, PosteriorCollapseReport } from '@trientropy/trainers';
import { writeFileAtomic } from '@trientropy/trainers/node';
import { RUN_FILES } from './run-directory.js';

/**
 * Per-epoch entry of metrics.json (and one line of metrics.jsonl), in nats per data point. `relativeGap` is
 * |ELBO − entropy sum| / |ELBO| (original units) after the epoch's closed-form steps (small by construction),
 * `rawRelativeGap` the same before them (the table shows both gaps relative to (D + H)/2 instead, see epoch-table.ts); `certificate` is the stationarity certificate's summary (null when
 * not computed). `sigma2` is null for decoders without a variance (Bernoulli).
 */
export interface EpochMetrics {
  epoch: number;
  /** ELBO on the training data, after the epoch's closed-form steps (if any). */
  elbo: number;
  entropySum: number;
  relativeGap: number;
  rawRelativeGap: number;
  /**
   * ELBO − entropy sum before the closed-form steps, nats per point (the same in the original and the standardised
   * units): what the stationarity certificate judges, relative to (D + H)/2.
   */
  rawGapNats: number;
  closedFormSteps: string[];
  /** null for decoders without a variance (Bernoulli). */
  sigma2: number | null;
  /** The ELBO's two parts: the reconstruction term E_q log p(x|z) and KL(q(z|x) ‖ p(z)). */
  reconstruction: number;
  kl: number;
  /** mean_n H[q(z_h|x_n)] per latent (posterior-collapse detection). */
  encoderEntropies: number[];
  /** KL weight β and Adam's learning rate at the epoch's last step. */
  beta: number;
  learningRate: number;
  /** Monte-Carlo ELBO on the held-out data (`--eval-samples` per point); null without held-out data. */
  heldOutElbo: number | null;
  /** Wall-clock seconds since training started. */
  seconds: number;
  /**
   * The stationarity certificate of the epoch's end state (null on epochs without one): its verdict; the ELBO it
   * judged (exact for the linear VAE, else Monte Carlo with `samples` per point in each of two sample sets, on its
   * `points` rows; in the original data's units like `elbo`), which is far less noisy than the epoch's `elbo`;
   * the largest one-step gain and its group, the multi-step ascent probe's relative gain (null when off), the
   * collapsed-latent escape's relative gain (null when no latent collapsed or the test does not apply), the ELBO's
   * relative change over the certificate window (null at the first certificate) and the saddle test's note;
   * Monte-Carlo gains come with their standard errors (relative to |ELBO| like the gains, 0 for exact ones), and
   * `undecided` is true when the certificate refused only because a gain's ±2 s.e. interval straddles its tolerance.
   */
  certificate: {
    converged: boolean;
    undecided: boolean;
    elbo: number;
    gradientMethod: 'exact' | 'monte-carlo';
    samples: number;
    points: number;
    maxRelativeGain: number;
    maxRelativeGainStandardError: number;
    worstGroup: string;
    ascentRelativeGain: number | null;
    ascentRelativeStandardError: number | null;
    latentEscapeRelativeGain: number | null;
    elboRelativeChange: number | null;
    saddleTest: string;
    reasons: string[];
  } | null;
  /**
   * On the last epoch of a run with `--polish-steps` > 0 only: the end-of-run conjugate-gradient polish, which ran
   * after the raw evaluation (so `rawGapNats` is measured before it) and before the other closed-form steps and the
   * certificate; its fixed-draw ELBOs `startElbo` and `endElbo` in the original data's units like `elbo`.
   */
  polish?: FinalPolishReport;
}

/** An evaluation in metrics.json: every value of `Evaluation` plus how many samples per point it used. */
export type EvaluationMetrics = Evaluation & { evalSamples: number };

/** What a run's status can be: `interrupted` after Ctrl-C (its checkpoint can be resumed). */
export type RunStatus = 'running' | 'completed' | 'failed' | 'interrupted';

/**
 * Contents of `DIR/metrics.json`. Written after every epoch, so an interrupted run keeps what it learned:
 * `status` is `running` until the end, then `completed` (with `final`), `interrupted` or `failed` (with `error`).
 */
export interface MetricsFile {
  schemaVersion: 1;
  model: string;
  backend: string;
  data: string;
  seed: number;
  settings: Record<string, unknown>;
  status: RunStatus;
  /** Why training ended before `settings.epochs` (early stopping, convergence, interruption), if it did. */
  stopReason: string | null;
  epochs: EpochMetrics[];
  /** The trained model on the training data; null until completed. */
  final: EvaluationMetrics | null;
  /** The trained model on held-out data (the data set's test part or `--eval-split`); null if there is none. */
  heldOut: EvaluationMetrics | null;
  /** Active and collapsed latents at the end (arXiv 2010.14860, posterior-collapse application), from `final.encoderEntropiesPerLatent`. */
  posteriorCollapse: PosteriorCollapseReport | null;
  error?: string;
  trainingSeconds?: number;
  /**
   * With `--standardize` (or its `auto` default): the per-column mean and standard deviation the model's data was standardised with, and
   * the log-Jacobian −Σ_d log std_d added to every ELBO, entropy sum and log-likelihood reported here.
   */
  standardization?: {
    /** One std shared by every column or one per column (absent in files of older versions: per column). */
    scale?: 'shared' | 'per-column';
    mean: number[];
    std: number[];
    logJacobian: number;
  };
}

/**
 * Writes metrics.json atomically (writeFileAtomic: unique temporary file, fsync, rename), creating the directory
 * if needed: a kill or a full disk leaves the previous version whole. Errors name the file.
 */
export async function writeMetricsFile(directory: string, metrics: MetricsFile): Promise<string> {
  const path = join(directory, RUN_FILES.metrics);
  await writeFileAtomic(path, `${JSON.stringify(metrics, null, 2)}\n`);
  return path;
}

/**
 * Writes metrics.jsonl, one JSON object per epoch, atomically. The whole file is rewritten (not appended to),
 * so a kill never leaves half a line; at one short line per epoch that costs nothing next to an epoch.
 */
export async function writeMetricsLines(directory: string, epochs: readonly EpochMetrics[]): Promise<void> {
  await writeFileAtomic(join(directory, RUN_FILES.metricsLines), epochs.map((e) => `${JSON.stringify(e)}\n`).join(''));
}
