import { hostname } from 'node:os';
import { mkdir, open, readFile, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** The lock file {@link lockRunDirectory} creates inside a run directory. */
export const RUN_LOCK_FILE_NAME = '.trientropy.lock';

/** What a lock file records about its holder. */
export interface RunLockHolder {
  pid: number;
  hostname: string;
  startedAt: string;
}

/** Thrown when a run directory is locked by another live process. */
export class RunDirectoryLockedError extends Error {
  constructor(
    readonly directory: string,
    readonly holder: RunLockHolder,
  ) {
    super(`run directory ${directory} is in use by process ${holder.pid} on ${holder.hostname} (since ${holder.startedAt}); wait for it to finish, stop it, or choose another output directory (lock file ${join(directory, RUN_LOCK_FILE_NAME)})`);
    this.name = 'RunDirectoryLockedError';
  }
}

/** A held lock; `release()` removes the lock file (idempotent). */
export interface RunDirectoryLock {
  readonly path: string;
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ageSeconds(path: string): Promise<number> {
  try {
    return (Date.now() - (await stat(path)).mtimeMs) / 1000;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

async function readHolder(path: string): Promise<RunLockHolder | undefined> {
  try {
    const holder = JSON.parse(await readFile(path, 'utf8')) as Partial<RunLockHolder>;
    if (typeof holder.pid === 'number' && Number.isInteger(holder.pid) && holder.pid > 0 && typeof holder.hostname === 'string') {
      return { pid: holder.pid, hostname: holder.hostname, startedAt: String(holder.startedAt) };
    }
  } catch {
    // Unreadable or half-written (its writer was killed between create and write): treated as stale.
  }
  return undefined;
}

/** Temporary files of {@link temporaryPathFor}: `.<name>.<pid>.<n>.<hex>.tmp`. */
const TEMPORARY = /^\..+\.(\d+)\.\d+\.[0-9a-f]{8}\.tmp$/;

/** Removes temporary files left in `directory` by writers that were killed (their process is gone). */
async function removeStaleTemporaries(directory: string): Promise<void> {
  for (const name of await readdir(directory)) {
    const pid = TEMPORARY.exec(name)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !isAlive(Number(pid))) await unlink(join(directory, name)).catch(() => undefined);
  }
}

/**
 * Locks a run directory for one trainer: creates `<directory>/.trientropy.lock` exclusively (O_EXCL) with the
 * holder's pid, host and start time. A lock whose holder is not alive on this host (or whose file is
 * unreadable) is stale and taken over; a live holder gives a {@link RunDirectoryLockedError} naming it. A lock
 * held by another host is respected (its pid cannot be checked from here). Once locked, temporary files
 * left by killed writers (see `writeFileAtomic`) are removed.
 */
export async function lockRunDirectory(directory: string): Promise<RunDirectoryLock> {
  await mkdir(directory, { recursive: true });
  const path = join(directory, RUN_LOCK_FILE_NAME);
  const me: RunLockHolder = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o644);
      try {
        await handle.writeFile(`${JSON.stringify(me)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await removeStaleTemporaries(directory);
      let released = false;
      return {
        path,
        release: async () => {
          if (released) return;
          released = true;
          const holder = await readHolder(path);
          if (holder?.pid === me.pid && holder.startedAt === me.startedAt) await unlink(path).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot lock run directory ${directory}: ${(error as Error).message}`, { cause: error });
    }
    const holder = await readHolder(path);
    // Same process (another session), a live process on this host, or any process on another host: held.
    if (holder !== undefined && (holder.pid === process.pid || holder.hostname !== me.hostname || isAlive(holder.pid))) throw new RunDirectoryLockedError(directory, holder);
    if (holder === undefined && (await ageSeconds(path)) < 5) throw new Error(`run directory ${directory} is being locked by another process right now (lock file ${path}); try again`);
    // Stale: its holder died without releasing it. Remove it and try again (another process may win the race).
    await unlink(path).catch(() => undefined);
  }
  throw new Error(`cannot lock run directory ${directory}: the lock file ${path} keeps reappearing`);
}
