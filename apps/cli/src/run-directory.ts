import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKPOINT_FILE_NAME } from '@trientropy/trainers/node';
import { UsageError } from './usage-error.js';

/** The files of a run directory, as `train` writes them. */
export const RUN_FILES = {
  metrics: 'metrics.json',
  metricsLines: 'metrics.jsonl',
  config: 'config.json',
  checkpoint: CHECKPOINT_FILE_NAME,
  model: 'model.trientropy.json',
  plotsDir: 'plots',
} as const;

/** `runs/<UTC timestamp>` under the working directory, the default `--out`. */
export function defaultRunDirectory(now = new Date()): string {
  return `runs/${now.toISOString().replace(/[:.]/g, '-')}`;
}

/**
 * Checks `--out` before anything is loaded: it must not be a file, and a directory that already holds a run
 * is only replaced with `--force` (its run files are then deleted; other files are left alone).
 */
export function prepareRunDirectory(out: string, force: boolean): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new UsageError(`--out: ${out} is a file, expected a directory (or a path that does not exist yet)`);
  const runFiles = Object.values(RUN_FILES).filter((name) => existsSync(join(out, name)));
  if (runFiles.length === 0) return;
  if (!force) {
    throw new UsageError(`--out: ${out} already holds a run (${runFiles.join(', ')}); pass --force to replace it, or 'trientropy train --resume ${out}' to continue it`);
  }
  for (const name of runFiles) rmSync(join(out, name), { recursive: true, force: true });
}

/** Whether `dir` looks like a run directory (has metrics.json or a checkpoint). */
export function isRunDirectory(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory() && (existsSync(join(dir, RUN_FILES.metrics)) || existsSync(join(dir, RUN_FILES.checkpoint)));
}
