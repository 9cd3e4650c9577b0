import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointFormatError, type TrainingCheckpoint } from '@trientropy/trainers';
import { type RunDirectoryLock, readCheckpointFile } from '@trientropy/trainers/node';
import { recordedScheduleProblems, withRecordedSchedules } from './recorded-schedules.js';
import { RUN_FILES, lockRun } from './run-directory.js';
import { type TrainContext, runTrain } from './run-train.js';
import type { TrainSettings } from './train-options.js';
import { UsageError } from './usage-error.js';

/**
 * `train --resume DIR [--epochs N]`: continues the run in DIR from its checkpoint with its own settings. `--epochs`
 * may extend a run (also a completed one) to N epochs; N below the epochs already done is refused. A cosine
 * schedule is stretched over the new total, so an extended run is not the run it would have been with N from
 * the start; the KL warm-up keeps the length it was given at the run's first start (`--kl-anneal auto` is not
 * resolved again over the new total), and the cosine floor the one recorded (or, for older checkpoints, that of
 * the build that wrote them). The cosine's hold (`--lr-hold`) and tail at the floor (`--lr-tail`) stay the recorded
 * fractions of the run, so like the decay they are stretched over the new total; checkpoints written before they
 * were recorded hold nothing and have no tail.
 */
export async function resumeRun(directory: string, epochs: string | undefined, context: TrainContext): Promise<void> {
  if (!existsSync(directory)) throw new UsageError(`--resume: ${directory} does not exist`);
  if (!statSync(directory).isDirectory()) throw new UsageError(`--resume: ${directory} is a file, expected a run directory`);
  // Locked before its checkpoint is read: a trainer still running there would rewrite it.
  const lock = await lockRun(directory, '--resume');
  try {
    await resumeLocked(directory, epochs, context, lock);
  } finally {
    await lock.release();
  }
}

async function resumeLocked(directory: string, epochs: string | undefined, context: TrainContext, lock: RunDirectoryLock): Promise<void> {
  const path = join(directory, RUN_FILES.checkpoint);
  if (!existsSync(path)) throw new UsageError(`--resume: ${directory} has no ${RUN_FILES.checkpoint} (runs with --stream write none)`);
  let checkpoint: TrainingCheckpoint;
  try {
    checkpoint = await readCheckpointFile(path);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`--resume: ${path} cannot be read (${error instanceof CheckpointFormatError ? 'corrupt or not a checkpoint: ' : ''}${detail.split('\n')[0]})`);
  }
  const settings = checkpoint.metadata.settings as TrainSettings | undefined;
  if (typeof settings !== 'object' || settings === null || typeof settings.model !== 'string') {
    throw new Error(`--resume: ${path} was not written by 'trientropy train' (no settings in its metadata)`);
  }
  const problems = recordedScheduleProblems(settings);
  if (problems.length > 0) throw new Error(`--resume: ${path}: ${problems.join('; ')}`);
  // Checkpoints of older CLI versions have no CSV settings, nor recorded schedules: those are fixed here over the
  // run's length as its checkpoint describes it, before --epochs changes that length.
  const resumed = withRecordedSchedules({ ...settings, csv: settings.csv ?? {} }, checkpoint.progress.batchesPerEpoch);
  const done = checkpoint.progress.batchesDone >= checkpoint.progress.batchesPerEpoch ? checkpoint.progress.epoch : checkpoint.progress.epoch - 1;
  if (epochs !== undefined) {
    const wanted = Number(epochs);
    if (!/^\d+$/.test(epochs.trim()) || wanted < 1) throw new UsageError(`--epochs: expected an integer ≥ 1, got '${epochs}'`);
    if (wanted < done) throw new UsageError(`--epochs: the run in ${directory} has already done ${done} epochs; expected at least ${done}, got ${wanted}`);
    resumed.epochs = wanted;
  }
  const status = readStatus(directory);
  if (done >= resumed.epochs && status === 'completed') {
    throw new UsageError(`--resume: the run in ${directory} is complete (${done} of ${resumed.epochs} epochs); pass --epochs N with N > ${done} to train it further`);
  }
  // We hold the lock, so no trainer is alive here: a `running` status was left by one that was killed.
  if (status === 'running') context.output.note(`the previous trainer of ${directory} ended without finishing (killed?); its last checkpoint is whole, continuing from it`);
  await runTrain(resumed, context, { checkpoint, directory, lock });
}

function readStatus(directory: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(directory, RUN_FILES.metrics), 'utf8')) as { status?: string }).status;
  } catch {
    return undefined;
  }
}
