import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Per-epoch entry of metrics.json. */
export interface EpochMetrics {
  epoch: number;
  elbo: number;
  entropySum: number;
  relativeGap: number;
  sigma2: number;
}

/** The final evaluation in metrics.json. */
export interface FinalMetrics {
  elbo: number;
  entropySum: number;
  relativeGap: number;
  entropies: { prior: number; encoder: number; decoder: number };
  expectedLogLikelihood: number;
  kl: number;
  sigma2: number;
  varianceRatio: number;
  latentSecondMoments: number[];
  evalSamples: number;
}

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
  epochs: EpochMetrics[];
  final: FinalMetrics | null;
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
