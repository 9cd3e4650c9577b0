import { hostname } from 'node:os';
import { open, readFile, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fileWriteError, makeDirectory } from './atomic-file.js';

/** The lock file {@link lockRunDirectory} creates inside a run directory. */
export const RUN_LOCK_FILE_NAME = '.trientropy.lock';

/** What a lock file records about its holder. */
export interface RunLockHolder {
  pid: number;
  hostname: string;
  startedAt: string;
  /**
   * The holder's process start time as the kernel records it (Linux: field 22 of `/proc/<pid>/stat`, clock ticks
   * since boot), so that a pid reused by a later process is recognised. Absent on other systems (and in lock files
   * of older versions): there only the pid is checked.
   */
  processStart?: string;
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

/**
 * The start time of process `pid` (Linux: field 22 of `/proc/<pid>/stat`, in clock ticks since boot), or undefined
 * where it cannot be read (another system, no such process). Field 2, the command name in parentheses, may hold
 * spaces and parentheses itself, so the fields are counted from the last ')'.
 */
export async function processStartTime(pid: number): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (the state)
    const start = fields[22 - 3];
    return start !== undefined && /^\d+$/.test(start) ? start : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the process a lock file names still holds it: alive, and (where both start times are known) the same
 * process, not a later one that reuses its pid.
 */
async function holderIsRunning(holder: RunLockHolder): Promise<boolean> {
  if (holder.pid !== process.pid && !isAlive(holder.pid)) return false;
  if (holder.processStart === undefined) return true;
  const start = await processStartTime(holder.pid);
  return start === undefined || start === holder.processStart;
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
      return {
        pid: holder.pid,
        hostname: holder.hostname,
        startedAt: String(holder.startedAt),
        ...(typeof holder.processStart === 'string' ? { processStart: holder.processStart } : {}),
      };
    }
  } catch {
    // Unreadable or half-written (its writer was killed between create and write): treated as stale.
  }
  return undefined;
}

/** Temporary files of {@link temporaryPathFor}: `.<name>.<pid>.<n>.<hex>.tmp`. */
const TEMPORARY = /^\..+\.(\d+)\.\d+\.[0-9a-f]{8}\.tmp$/;

/**
 * Removes the temporary files of `writeFileAtomic` left in `directory` (not its subdirectories) by writers that
 * were killed: those whose process is gone. A directory that does not exist has none.
 */
export async function removeStaleTemporaries(directory: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const name of names) {
    const pid = TEMPORARY.exec(name)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !isAlive(Number(pid))) await unlink(join(directory, name)).catch(() => undefined);
  }
}

/**
 * Locks a run directory for one trainer: creates `<directory>/.trientropy.lock` exclusively (O_EXCL) with the
 * holder's pid, host, time and process start time. A lock whose holder is not running on this host (or whose file
 * is unreadable) is stale and taken over; a live holder gives a {@link RunDirectoryLockedError} naming it. "Not
 * running" includes a live process that merely reuses the holder's pid: on Linux the lock records the holder's
 * process start time (`/proc/<pid>/stat` field 22) and a different start time now means a different process.
 * Elsewhere (macOS, Windows) only the pid is checked, so a reused pid keeps a dead holder's lock until it exits.
 * A lock held by another host is respected (its pid cannot be checked from here). Once locked, temporary files
 * left by killed writers (see `writeFileAtomic`) are removed.
 */
export async function lockRunDirectory(directory: string): Promise<RunDirectoryLock> {
  const path = join(directory, RUN_LOCK_FILE_NAME);
  await makeDirectory(directory);
  const processStart = await processStartTime(process.pid);
  const me: RunLockHolder = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), ...(processStart === undefined ? {} : { processStart }) };
  for (let attempt = 0; attempt < 3; attempt++) {
    const handle = await open(path, 'wx', 0o644).catch((error: NodeJS.ErrnoException) => {
      // Read-only, not writable or full: the error names the lock file and says what to do.
      if (error.code !== 'EEXIST') throw fileWriteError(path, error);
      return undefined;
    });
    if (handle !== undefined) {
      try {
        await handle.writeFile(`${JSON.stringify(me)}\n`);
        await handle.sync();
      } catch (error) {
        // A full disk: no empty lock may stay behind (it would read as in use for 5 s, then as stale).
        await handle.close();
        await unlink(path).catch(() => undefined);
        throw fileWriteError(path, error);
      }
      await handle.close();
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
    }
    const holder = await readHolder(path);
    // This process (another session), a running process on this host, or any process on another host: held.
    if (holder !== undefined && (holder.hostname !== me.hostname || (await holderIsRunning(holder)))) throw new RunDirectoryLockedError(directory, holder);
    if (holder === undefined && (await ageSeconds(path)) < 5) throw new Error(`run directory ${directory} is being locked by another process right now (lock file ${path}); try again`);
    // Stale: its holder died without releasing it. Remove it and try again (another process may win the race).
    await unlink(path).catch(() => undefined);
  }
  throw new Error(`cannot lock run directory ${directory}: the lock file ${path} keeps reappearing`);
}
