import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/**
 * A temporary name next to `path`, unique across processes (pid), across concurrent writers in one process
 * (a counter) and across pid reuse (random bytes): `.<name>.<pid>.<n>.<hex>.tmp`. Hidden, so that a temporary
 * left by a killed process is never mistaken for a result.
 */
export function temporaryPathFor(path: string): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return join(dirname(path), `.${basename(path)}.${process.pid}.${counter}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Whether `name` (a file name, no directory) is one of {@link temporaryPathFor}'s temporaries of `target`. */
export function isTemporaryOf(name: string, target: string): boolean {
  return name.startsWith(`.${target}.`) && name.endsWith('.tmp');
}

/** An error that names the file and says what to do about the usual causes (ENOSPC, EACCES, EROFS). */
export function fileWriteError(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const hint =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? 'the disk is full; free space or choose another output directory'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'the location is not writable; choose another output directory'
        : (error as Error).message;
  const wrapped = new Error(`cannot write ${path}: ${hint}${code ? ` (${code})` : ''}`, { cause: error });
  (wrapped as NodeJS.ErrnoException).code = code;
  return wrapped;
}

/**
 * Creates `directory` and its parents; errors name it (see {@link fileWriteError}). Node's recursive mkdir
 * reports ENOENT for a read-only parent, so the failing level is retried alone for the real cause (EROFS, EACCES).
 */
export async function makeDirectory(directory: string): Promise<void> {
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    const precise = await mkdir(directory).then(
      () => undefined,
      (cause: NodeJS.ErrnoException) => (cause.code === 'ENOENT' || cause.code === 'EEXIST' ? error : cause),
    );
    if (precise !== undefined) throw fileWriteError(directory, precise);
  }
}

/**
 * Writes `contents` to `path` atomically: to a uniquely named temporary file in the same directory, flushed
 * to disk (fsync), then renamed over `path`, and the directory flushed. A crash or a full disk at any moment
 * leaves either the previous file or the new one, never a mix or an empty file; a failed write removes its
 * temporary file. Errors name `path` (see {@link fileWriteError}).
 */
export async function writeFileAtomic(path: string, contents: string | Uint8Array): Promise<void> {
  await makeDirectory(dirname(path));
  const temporary = temporaryPathFor(path);
  try {
    const handle = await open(temporary, 'wx', 0o644);
    try {
      await handle.writeFile(contents);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw fileWriteError(path, error);
  }
  await syncDirectory(dirname(path));
}

/** Flushes a directory entry (the rename) to disk where the platform allows it (not on Windows). */
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Directories cannot be opened or fsynced on some platforms; the rename is still atomic there.
  }
}
