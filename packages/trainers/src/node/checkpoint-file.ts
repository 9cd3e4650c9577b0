import { open, mkdir, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseCheckpoint, serializeCheckpoint } from '../checkpoint/checkpoint-format.js';
import type { TrainingCheckpoint } from '../checkpoint/training-checkpoint.js';

/** The file name {@link checkpointFileSink} writes inside its directory. */
export const CHECKPOINT_FILE_NAME = 'checkpoint.trientropy';

/**
 * Writes a checkpoint atomically: to a temporary file in the same directory, flushed to disk, then renamed
 * over `path`. A crash at any moment leaves either the previous checkpoint or the new one, never a mix.
 */
export async function writeCheckpointFile(path: string, checkpoint: TrainingCheckpoint): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(serializeCheckpoint(checkpoint));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** Reads and verifies a checkpoint file (format version and CRC-32); errors name the file. */
export async function readCheckpointFile(path: string): Promise<TrainingCheckpoint> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `checkpoint ${path}: no such file` : `checkpoint ${path}: cannot read (${(error as Error).message})`);
  }
  return parseCheckpoint(text, path);
}

/** A `checkpoint.write` for {@link trainVae} that keeps the latest checkpoint in `directory`. */
export function checkpointFileSink(directory: string): (checkpoint: TrainingCheckpoint) => Promise<void> {
  const path = join(directory, CHECKPOINT_FILE_NAME);
  return (checkpoint) => writeCheckpointFile(path, checkpoint);
}
