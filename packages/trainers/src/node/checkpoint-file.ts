import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointFormatError, parseCheckpoint, serializeCheckpoint } from '../checkpoint/checkpoint-format.js';
import type { TrainingCheckpoint } from '../checkpoint/training-checkpoint.js';
import { writeFileAtomic } from './atomic-file.js';

/** The file name {@link checkpointFileSink} writes inside its directory. */
export const CHECKPOINT_FILE_NAME = 'checkpoint.trientropy';

/**
 * Writes a checkpoint atomically ({@link writeFileAtomic}: unique temporary file in the same directory,
 * fsync, rename). A crash, a kill or a full disk at any moment leaves either the previous checkpoint or the
 * new one, never a mix, and no temporary file from a failed write; errors name the file.
 */
export async function writeCheckpointFile(path: string, checkpoint: TrainingCheckpoint): Promise<void> {
  await writeFileAtomic(path, serializeCheckpoint(checkpoint));
}

/** Reads and verifies a checkpoint file (see `parseCheckpoint`); errors name the file. */
export async function readCheckpointFile(path: string): Promise<TrainingCheckpoint> {
  if (typeof path !== 'string' || path.length === 0) throw new CheckpointFormatError(String(path), 'expected a file path (a non-empty string)');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `checkpoint ${path}: no such file` : `checkpoint ${path}: cannot read (${(error as Error).message})`);
  }
  return parseCheckpoint(text, path);
}

/**
 * The `checkpoint.write` and `checkpoint.remove` for `trainVae` that keep the latest checkpoint in
 * `directory` as {@link CHECKPOINT_FILE_NAME}: `{ ...checkpointFileSink(dir), metadata }`. For backward
 * compatibility the returned function is itself the writer.
 */
export function checkpointFileSink(directory: string): ((checkpoint: TrainingCheckpoint) => Promise<void>) & {
  write: (checkpoint: TrainingCheckpoint) => Promise<void>;
  remove: () => Promise<void>;
} {
  const path = join(directory, CHECKPOINT_FILE_NAME);
  const write = (checkpoint: TrainingCheckpoint) => writeCheckpointFile(path, checkpoint);
  return Object.assign(write, { write, remove: () => unlink(path).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error))) });
}
