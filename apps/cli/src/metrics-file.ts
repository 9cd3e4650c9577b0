import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Evaluation, PosteriorCollapseReport } from '@trientropy/trainers';

/**
 * Per-epoch entry of metrics.json. `relativeGap` is measured after the epoch's closed-form steps (small by
 * construction), `rawRelativeGap` before them; `certificate` is the stationarity certificate's summary (null when
 * not computed). `sigma2` is null for decoders without a variance (Bernoulli).
 */
export interface EpochMetrics {
  epoch: number;
  elbo: number;
  entropySum: number;
  relativeGap: number;
  rawRelativeGap: number;
  closedFormSteps: string[];
  sigma2: number | null;
  certificate: { converged: boolean; maxRelativeGain: number; worstGroup: string; reasons: string[] } | null;
}

/** An evaluation in metrics.json: every value of `Evaluation` plus how many samples per point it used. */
export type EvaluationMetrics = Evaluation & { evalSamples: number };

/**
 * Contents of `DIR/metrics.json`. Written after every epoch, so an interrupted run keeps what it learned:
 * `status` is `running` until the end, then `completed` (with `final`) or `failed` (with `error`).
 */
export interface MetricsFile {
  schemaVersion: 1;
  model: string;
  backend: string;
  data: string;
  seed: number;
  settings: Record<string, unknown>;
  status: 'running' | 'completed' | 'failed';
  /** Why training ended before `settings.epochs` (early stopping, convergence), if it did. */
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
}

/** Writes metrics.json atomically (temporary file + rename), creating the directory if needed. */
export async function writeMetricsFile(directory: string, metrics: MetricsFile): Promise<string> {
  await mkdir(directory, { recursive: true });
  const path = join(directory, 'metrics.json');
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(metrics, null, 2)}\n`);
  await rename(temporary, path);
  return path;
}
