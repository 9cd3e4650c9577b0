import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCheckpoint } from '../checkpoint/checkpoint-format.js';
import type { TrainingCheckpoint } from '../checkpoint/training-checkpoint.js';
import { writeFileAtomic } from './atomic-file.js';
import { CHECKPOINT_FILE_NAME, readCheckpointFile, writeCheckpointFile } from './checkpoint-file.js';
import { RUN_LOCK_FILE_NAME, RunDirectoryLockedError, lockRunDirectory, processStartTime, removeStaleTemporaries } from './run-directory-lock.js';

function checkpoint(values: number): TrainingCheckpoint {
  return {
    version: 1,
    createdAt: '2026-12-01T00:00:00.000Z',
    modelKind: 'vae-1',
    variables: [{ name: 'w', shape: [values], values: new Float32Array(values).fill(0.5) }],
    optimizers: [{ iterations: 1, accBeta1: 0.9, accBeta2: 0.999, firstMoments: [new Float32Array(values)], secondMoments: [new Float32Array(values)] }],
    random: { current: { words: [1, 2, 3, 4], spareNormal: null }, epochStart: { words: [1, 2, 3, 4], spareNormal: null } },
    progress: { epoch: 1, batchesDone: 1, batchesPerEpoch: 1, step: 1, lossSum: 0 },
    run: { rows: 1, batchSize: 1, epochs: 1, samples: 1, seed: 0 },
    records: [],
    metadata: {},
  };
}

const temporaries = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.tmp'));

/** A small tmpfs mounted for the test, or the reason there is none (not root, no mount). */
function mountTmpfs(dir: string, size: string): string | undefined {
  if (process.getuid?.() !== 0) return 'not running as root';
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  return result.status === 0 ? undefined : `mount -t tmpfs failed: ${String(result.stderr).trim() || result.error?.message}`;
}

describe('atomic files and run-directory locks', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trientropy-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lets concurrent writers in one process write one path (unique temporaries, no leftovers)', async () => {
    const path = join(dir, CHECKPOINT_FILE_NAME);
    await Promise.all(Array.from({ length: 10 }, (_, i) => writeCheckpointFile(path, checkpoint(100 + i))));
    expect(parseCheckpoint(readFileSync(path, 'utf8')).variables[0]!.values.length).toBeGreaterThanOrEqual(100);
    expect(temporaries(dir)).toEqual([]);
  });

  it('names the file on failure and removes its temporary (read-only directory)', async () => {
    const path = join(dir, 'out', 'model.json');
    await writeFileAtomic(path, 'first\n');
    const readOnly = join(dir, 'ro');
    mkdirSync(readOnly);
    let reason = mountTmpfs(readOnly, '1m');
    if (reason === undefined && spawnSync('mount', ['-o', 'remount,ro', readOnly]).status !== 0) reason = 'remount,ro failed';
    try {
      if (reason !== undefined) {
        // As root, permissions do not stop writes; without a read-only mount only chmod is left.
        if (process.getuid?.() === 0) {
          console.log(`skipped the read-only part: ${reason}`);
          return;
        }
        chmodSync(readOnly, 0o555);
      }
      await expect(writeFileAtomic(join(readOnly, 'model.json'), 'x')).rejects.toThrow(new RegExp(`^cannot write ${readOnly}/model.json: the location is not writable`));
      await expect(lockRunDirectory(readOnly)).rejects.toThrow(new RegExp(`^cannot write ${readOnly}/${RUN_LOCK_FILE_NAME.replace('.', '\\.')}: the location is not writable`));
      await expect(lockRunDirectory(join(readOnly, 'new-run'))).rejects.toThrow(new RegExp(`^cannot write ${readOnly}/new-run: the location is not writable`));
      expect(readFileSync(path, 'utf8')).toBe('first\n');
    } finally {
      if (reason === undefined) execFileSync('umount', [readOnly]);
    }
  });

  it('on a full disk (a 1 MiB tmpfs) keeps the previous file, names the file and leaves no temporary', async () => {
    const small = join(dir, 'small');
    mkdirSync(small);
    const reason = mountTmpfs(small, '1m');
    if (reason !== undefined) {
      console.log(`skipped the ENOSPC test: ${reason}`);
      return;
    }
    try {
      const path = join(small, CHECKPOINT_FILE_NAME);
      await writeCheckpointFile(path, checkpoint(1000));
      const big = checkpoint(400_000); // ~3.2 MB of text
      await expect(writeCheckpointFile(path, big)).rejects.toThrow(`cannot write ${path}: the disk is full; free space or choose another output directory (ENOSPC)`);
      expect((await readCheckpointFile(path)).variables[0]!.values.length).toBe(1000);
      expect(temporaries(small)).toEqual([]);
    } finally {
      execFileSync('umount', [small]);
    }
  });

  it('locks a run directory: a second holder is refused with the holder named, a stale lock is taken over', async () => {
    const lock = await lockRunDirectory(dir);
    await expect(lockRunDirectory(dir)).rejects.toThrow(RunDirectoryLockedError);
    await expect(lockRunDirectory(dir)).rejects.toThrow(new RegExp(`^run directory ${dir} is in use by process ${process.pid} on `));
    await lock.release();
    expect(existsSync(join(dir, RUN_LOCK_FILE_NAME))).toBe(false);

    // A lock and a temporary file left by a process that no longer exists.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(join(dir, RUN_LOCK_FILE_NAME), JSON.stringify({ pid: Number(dead), hostname: (await import('node:os')).hostname(), startedAt: 'then' }));
    writeFileSync(join(dir, `.${CHECKPOINT_FILE_NAME}.${dead}.1.0123abcd.tmp`), 'partial');
    const taken = await lockRunDirectory(dir);
    expect(JSON.parse(readFileSync(join(dir, RUN_LOCK_FILE_NAME), 'utf8')).pid).toBe(process.pid);
    expect(temporaries(dir)).toEqual([]);
    await taken.release();

    // Subdirectories are cleaned on request; a missing one has nothing to clean.
    mkdirSync(join(dir, 'plots'));
    writeFileSync(join(dir, 'plots', `.training.svg.${dead}.1.0123abcd.tmp`), 'partial');
    writeFileSync(join(dir, 'plots', `.training.svg.${process.pid}.1.0123abcd.tmp`), 'mine, being written');
    await removeStaleTemporaries(join(dir, 'plots'));
    expect(temporaries(join(dir, 'plots'))).toEqual([`.training.svg.${process.pid}.1.0123abcd.tmp`]);
    await expect(removeStaleTemporaries(join(dir, 'absent'))).resolves.toBeUndefined();
  });

  it('a lock whose pid is alive but belongs to a later process (another start time) is stale; the same process holds it', async () => {
    const host = (await import('node:os')).hostname();
    const lockFile = join(dir, RUN_LOCK_FILE_NAME);
    const mine = await processStartTime(process.pid);
    if (process.platform !== 'linux') {
      // Elsewhere only the pid is checked (documented): nothing to record.
      expect(mine).toBeUndefined();
      return;
    }
    // /proc/<pid>/stat field 22, counted after the command name (which may hold spaces and parentheses).
    const stat = readFileSync('/proc/self/stat', 'utf8');
    expect(mine).toBe(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const lock = await lockRunDirectory(dir);
    expect(JSON.parse(readFileSync(lockFile, 'utf8')).processStart).toBe(mine);
    await lock.release();

    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const pid = child.pid!;
      const start = await processStartTime(pid);
      expect(start).toMatch(/^\d+$/);
      // The live child with its own start time: held, the holder named.
      writeFileSync(lockFile, JSON.stringify({ pid, hostname: host, startedAt: 'now', processStart: start }));
      await expect(lockRunDirectory(dir)).rejects.toThrow(new RegExp(`in use by process ${pid} `));
      // An old lock file without a start time: the pid alone decides (alive: held).
      writeFileSync(lockFile, JSON.stringify({ pid, hostname: host, startedAt: 'now' }));
      await expect(lockRunDirectory(dir)).rejects.toThrow(RunDirectoryLockedError);
      // The same pid with another start time: a dead holder whose pid was reused, taken over.
      writeFileSync(lockFile, JSON.stringify({ pid, hostname: host, startedAt: 'then', processStart: String(Number(start) - 1) }));
      const taken = await lockRunDirectory(dir);
      expect(JSON.parse(readFileSync(lockFile, 'utf8')).pid).toBe(process.pid);
      await taken.release();
      // This very pid, recorded by an earlier process that had it: stale too.
      writeFileSync(lockFile, JSON.stringify({ pid: process.pid, hostname: host, startedAt: 'then', processStart: String(Number(mine) - 1) }));
      const again = await lockRunDirectory(dir);
      await again.release();
      expect(existsSync(lockFile)).toBe(false);
    } finally {
      child.kill();
    }
  });
});
