import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, statfsSync, unlinkSync, watch, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import '@trientropy/distributions';
import { deserializeVae } from '@trientropy/models';
import { parseCheckpoint } from '@trientropy/trainers';
import { runCli } from './cli-program.js';
import { memoryIo, writePcaCsv } from './test-support.js';

// Fault tests of the run directory (issue: reliability): SIGKILL at random points and during checkpoint and model
// writes, two trainers on one directory, a read-only output directory and a full disk (small tmpfs mounts).

const binary = join(__dirname, '..', 'bin', 'trientropy.js');
const LOCK = '.trientropy.lock';

/** Every temporary file of writeFileAtomic under `dir`, subdirectories included, relative to it. */
function temporaries(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.tmp')) found.push(relative(dir, path));
    }
  };
  walk(dir);
  return found;
}

/**
 * Every result file present in a run directory is whole and loadable: the checkpoint verifies (header, CRC,
 * schema), metrics.json and each metrics.jsonl line parse, the model file deserializes, plots are complete.
 * Returns the checkpoint's step (0 without one).
 */
function expectIntact(out: string): number {
  const read = (name: string) => readFileSync(join(out, name), 'utf8');
  let step = 0;
  if (existsSync(join(out, 'checkpoint.trientropy'))) step = parseCheckpoint(read('checkpoint.trientropy'), out).progress.step;
  if (existsSync(join(out, 'metrics.json'))) expect(['running', 'completed', 'failed', 'interrupted']).toContain(JSON.parse(read('metrics.json')).status);
  if (existsSync(join(out, 'metrics.jsonl'))) {
    const text = read('metrics.jsonl');
    expect(text === '' || text.endsWith('\n')).toBe(true);
    for (const line of text.split('\n').filter(Boolean)) expect(typeof JSON.parse(line).epoch).toBe('number');
  }
  if (existsSync(join(out, 'config.json'))) JSON.parse(read('config.json'));
  if (existsSync(join(out, 'model.trientropy.json'))) deserializeVae(read('model.trientropy.json')).dispose();
  const plots = join(out, 'plots');
  if (existsSync(plots)) {
    for (const name of readdirSync(plots).filter((n) => !n.endsWith('.tmp'))) {
      const bytes = readFileSync(join(plots, name));
      if (name.endsWith('.svg')) expect(bytes.toString('utf8').trimEnd().endsWith('</svg>')).toBe(true);
      else expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    }
  }
  return step;
}

/** Whether a trainer holds the run directory's lock (its lock file is complete). */
function lockHeld(out: string): boolean {
  try {
    return typeof JSON.parse(readFileSync(join(out, LOCK), 'utf8')).pid === 'number';
  } catch {
    return false;
  }
}

/** A deterministic stream of numbers in [0, 1) (mulberry32), so the "random" kill points are reproducible. */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Starts the CLI and SIGKILLs it when `when` says so (it is called on every file event in `out` and every 5 ms);
 * resolves with how the process ended and whether the kill was sent.
 */
async function killWhen(args: string[], out: string, when: (file: string | undefined, child: ChildProcess) => boolean): Promise<{ signal: NodeJS.Signals | null; code: number | null }> {
  const child = spawn(process.execPath, [binary, ...args], { stdio: 'ignore' });
  const ended = new Promise<{ signal: NodeJS.Signals | null; code: number | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const check = (file: string | undefined) => {
    if (child.exitCode === null && child.signalCode === null && when(file, child)) child.kill('SIGKILL');
  };
  const watcher = watch(out, (_event, file) => check(file ?? undefined));
  const timer = setInterval(() => check(undefined), 5);
  try {
    return await ended;
  } finally {
    clearInterval(timer);
    watcher.close();
  }
}

function cliRun(args: string[], options: { timeout?: number } = {}) {
  const result = spawnSync(process.execPath, [binary, ...args], { encoding: 'utf8', timeout: options.timeout ?? 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function cli(argv: string[]) {
  const { io, stdout, stderr } = memoryIo();
  const code = await runCli(argv, io);
  return { code, stdout: stdout(), stderr: stderr() };
}

/** Mounts a tmpfs of `size` at `dir` (root only); the reason it cannot, otherwise. */
function mountTmpfs(dir: string, size: string): string | undefined {
  if (process.getuid?.() !== 0) return 'not running as root, so no tmpfs can be mounted';
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  return result.status === 0 ? undefined : `mount -t tmpfs failed: ${String(result.stderr).trim() || result.error?.message}`;
}

function skipLoudly(what: string, reason: string): void {
  // A skipped fault test must be visible in the test output, not pass silently.
  console.warn(`SKIPPED ${what}: ${reason}`);
}

describe('trientropy train: faults in the run directory', () => {
  let dir: string;
  let csv: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trientropy-faults-'));
    csv = writePcaCsv(dir, 300, 5);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // 300 rows / batch 10 = 30 steps per epoch, a checkpoint every 4 steps: kills land in and between writes.
  const flags = (out: string, epochs = 4) => ['train', '--data', csv, '--epochs', String(epochs), '--batch-size', '10', '--hidden', '4', '--latents', '1', '--checkpoint-every', '4', '--eval-samples', '1', '--final-eval-samples', '1', '--backend', 'cpu', '--quiet', '--out', out];

  it('keeps every result whole through SIGKILLs at random points and during checkpoint and model writes; --resume finishes the run', async () => {
    const out = join(dir, 'killed');
    mkdirSync(out);
    const kills: string[] = [];
    // 1. During the second checkpoint write (its temporary file has just appeared), so a first one exists.
    const checkpointTemporaries = new Set<string>();
    const first = await killWhen(flags(out), out, (file) => {
      // One temporary per write; the watcher reports each several times (created, written, renamed).
      if (file !== undefined && /^\.checkpoint\.trientropy\..*\.tmp$/.test(file)) checkpointTemporaries.add(file);
      return checkpointTemporaries.size === 2;
    });
    expect(first.signal).toBe('SIGKILL');
    kills.push('checkpoint write');
    let step = expectIntact(out);
    expect(step).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).status).toBe('running');

    // 2–4. At seeded random moments after the resumed trainer took the lock (load, training, evaluation).
    const random = uniform(14);
    for (let i = 0; i < 3; i++) {
      const delay = Math.round(1500 * random());
      let lockedAt: number | undefined;
      const ended = await killWhen(['train', '--resume', out], out, () => {
        if (lockedAt === undefined && lockHeld(out)) lockedAt = Date.now();
        return lockedAt !== undefined && Date.now() - lockedAt >= delay;
      });
      kills.push(ended.signal === 'SIGKILL' ? `${delay} ms after locking` : `none (exited ${ended.code} before ${delay} ms)`);
      const next = expectIntact(out);
      // Progress is never lost: the checkpoint on disk only moves forward.
      expect(next).toBeGreaterThanOrEqual(step);
      step = next;
    }

    // 5. During the model write at the end (after the final evaluation).
    const last = await killWhen(['train', '--resume', out], out, (file) => file !== undefined && /^\.model\.trientropy\.json\..*\.tmp$/.test(file));
    kills.push(last.signal === 'SIGKILL' ? 'model write' : `none (exited ${last.code})`);
    expectIntact(out);

    const status = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).status;
    const finished = status === 'completed' ? cliRun(['train', '--resume', out, '--epochs', '5']) : cliRun(['train', '--resume', out]);
    expect(finished.stderr).not.toMatch(/^trientropy:/m);
    expect(finished.code).toBe(0);
    // A `running` status left by a killed trainer is said to be one.
    if (status === 'running') expect(finished.stderr).toContain(`the previous trainer of ${out} ended without finishing (killed?)`);
    expectIntact(out);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.status).toBe('completed');
    expect(metrics.epochs.map((e: { epoch: number }) => e.epoch)).toEqual(Array.from({ length: status === 'completed' ? 5 : 4 }, (_, i) => i + 1));
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(metrics.epochs.length);
    // The stale lock and every temporary of the killed writers are gone.
    expect(temporaries(out)).toEqual([]);
    expect(existsSync(join(out, LOCK))).toBe(false);
    console.log(`SIGKILLs: ${kills.join('; ')}`);
    expect(kills.filter((k) => !k.startsWith('none')).length).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it('refuses a second trainer on a run directory in use (also with --force and --resume) and leaves the first run intact', async () => {
    const out = join(dir, 'shared');
    const child = spawn(process.execPath, [binary, ...flags(out, 3)], { stdio: 'ignore' });
    const ended = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    while (!existsSync(join(out, 'metrics.json'))) {
      if (child.exitCode !== null) throw new Error('the first trainer ended before the second started');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const holder = `run directory ${out} is in use by process ${child.pid} on `;
    for (const [argv, flag] of [[flags(out), '--out'], [[...flags(out), '--force'], '--out'], [['train', '--resume', out], '--resume']] as const) {
      const second = await cli([...argv]);
      expect(second.code).toBe(1);
      expect(second.stderr.startsWith(`trientropy: ${flag}: ${holder}`)).toBe(true);
      expect(second.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
    expect(await ended).toBe(0);
    expectIntact(out);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.status).toBe('completed');
    expect(metrics.epochs).toHaveLength(3);
    expect(temporaries(out)).toEqual([]);
    expect(existsSync(join(out, LOCK))).toBe(false);
  }, 60_000);

  it('on a read-only output directory fails with one line naming the path, and keeps the run there', async () => {
    const mount = join(dir, 'ro');
    mkdirSync(mount);
    const reason = mountTmpfs(mount, '4m');
    if (reason !== undefined) return skipLoudly('the read-only output test', reason);
    try {
      const out = join(mount, 'run');
      expect((await cli(flags(out, 1))).code).toBe(0);
      execFileSync('mount', ['-o', 'remount,ro', mount]);
      const fresh = await cli(flags(join(mount, 'new'), 1));
      expect(fresh.code).toBe(1);
      expect(fresh.stderr).toBe(`trientropy: cannot write ${join(mount, 'new')}: the location is not writable; choose another output directory (EROFS)\n`);
      const resumed = await cli(['train', '--resume', out, '--epochs', '2']);
      expect(resumed.code).toBe(1);
      expect(resumed.stderr).toBe(`trientropy: cannot write ${join(out, LOCK)}: the location is not writable; choose another output directory (EROFS)\n`);
      expectIntact(out);
      expect(JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).status).toBe('completed');
    } finally {
      execFileSync('umount', [mount]);
    }
  }, 60_000);

  it('on a full disk (a small tmpfs) fails with one line naming the file, keeps the previous results and resumes once there is space', async () => {
    const mount = join(dir, 'small');
    mkdirSync(mount);
    const reason = mountTmpfs(mount, '1m');
    if (reason !== undefined) return skipLoudly('the disk-full test', reason);
    try {
      const out = join(mount, 'run');
      expect((await cli(flags(out, 1))).code).toBe(0);
      const filler = join(mount, 'filler');
      const failures: string[] = [];
      // Leave 0, 8 KiB, 24 KiB free: the lock, metrics, checkpoint or model write meets the full disk.
      for (const free of [0, 8192, 24576]) {
        rmSync(filler, { force: true });
        const { bavail, bsize } = statfsSync(mount);
        const fd = openSync(filler, 'w');
        const chunk = Buffer.alloc(4096, 1);
        try {
          for (let left = bavail * bsize - free; left > 0; left -= chunk.length) writeSync(fd, chunk, 0, Math.min(chunk.length, left));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        } finally {
          closeSync(fd);
        }
        const epochs = parseCheckpoint(readFileSync(join(out, 'checkpoint.trientropy'), 'utf8'), out).progress.epoch + 1;
        const result = await cli(['train', '--resume', out, '--epochs', String(epochs), '--quiet']);
        if (result.code !== 0) {
          expect(result.code).toBe(1);
          expect(result.stderr).toMatch(new RegExp(`^(?:could not record the failure in metrics\\.json: .*\\n)?trientropy: cannot write ${out}/(\\S+): the disk is full; free space or choose another output directory \\(ENOSPC\\)\\n$`));
          failures.push(/cannot write \S+\/(\S+):/.exec(result.stderr)![1]!);
        }
        expectIntact(out);
        expect(temporaries(out)).toEqual([]);
        expect(existsSync(join(out, LOCK))).toBe(false);
        // A failure is recorded where the disk allows it; where not, the status is left `running` only with a
        // warning that says so (also with --quiet).
        const status = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).status;
        if (status === 'running') expect(result.stderr).toMatch(/^could not record the failure in metrics\.json: /);
      }
      console.log(`full disk: the write that failed, with 0 / 8 / 24 KiB free: ${failures.join(', ')}`);
      expect(failures[0]).toBe(LOCK);
      unlinkSync(filler);
      const epochs = parseCheckpoint(readFileSync(join(out, 'checkpoint.trientropy'), 'utf8'), out).progress.epoch + 1;
      const recovered = await cli(['train', '--resume', out, '--epochs', String(epochs), '--quiet']);
      expect(recovered.stderr).toBe('');
      expect(recovered.code).toBe(0);
      expectIntact(out);
      expect(JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).status).toBe('completed');
    } finally {
      execFileSync('umount', [mount]);
    }
  }, 60_000);
});
