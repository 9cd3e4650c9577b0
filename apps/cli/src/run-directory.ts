import { existsSync, rmSync, statSync } from 'node:fs';
import { rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CHECKPOINT_FILE_NAME, type RunDirectoryLock, RunDirectoryLockedError, lockRunDirectory, removeStaleTemporaries } from '@trientropy/trainers/node';
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

/** Checks `--out` before anything is loaded: it must be a directory or a path that does not exist yet. */
export function checkOutDirectory(out: string): void {
  if (existsSync(out) && !statSync(out).isDirectory()) throw new UsageError(`--out: ${out} is a file, expected a directory (or a path that does not exist yet)`);
}

/**
 * In a locked `--out`: a directory that already holds a run is only replaced with `--force` (its run files are
 * then deleted; other files are left alone).
 */
export function clearPreviousRun(out: string, force: boolean): void {
  const runFiles = Object.values(RUN_FILES).filter((name) => existsSync(join(out, name)));
  if (runFiles.length === 0) return;
  if (!force) {
    throw new UsageError(`--out: ${out} already holds a run (${runFiles.join(', ')}); pass --force to replace it, or 'trientropy train --resume ${out}' to continue it`);
  }
  for (const name of runFiles) rmSync(join(out, name), { recursive: true, force: true });
}

/**
 * Locks a run directory for one writer (`lockRunDirectory`: a lock file with this process's pid and start time,
 * taken over from a process that died), creating it if needed, and removes the temporary files that killed writers
 * left in it and in its plots. `train`, `train --resume`, `plot` and `sample` all take it, so no two of them write
 * one directory's files at once. Another live holder gives one line naming `flag`, its process and the lock file.
 * `release()` also removes the directory if this call created it and nothing was written into it.
 */
export async function lockRun(directory: string, flag: '--out' | '--resume' | 'RUN_DIR' | 'MODEL_FILE'): Promise<RunDirectoryLock> {
  const existed = existsSync(directory);
  let lock: RunDirectoryLock;
  try {
    lock = await lockRunDirectory(directory);
  } catch (error) {
    // Exit code 1, not 2: the command line is right, the directory is busy.
    throw error instanceof RunDirectoryLockedError ? new Error(`${flag}: ${error.message}`, { cause: error }) : error;
  }
  await removeStaleTemporaries(join(directory, RUN_FILES.plotsDir));
  return {
    path: lock.path,
    release: async () => {
      await lock.release();
      if (!existed) await rmdir(directory).catch(() => undefined);
    },
  };
}

/** Whether `dir` looks like a run directory (has metrics.json or a checkpoint). */
export function isRunDirectory(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory() && (existsSync(join(dir, RUN_FILES.metrics)) || existsSync(join(dir, RUN_FILES.checkpoint)));
}
