import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseCheckpoint } from '@trientropy/trainers';
import { writePcaCsv } from './test-support.js';

const run = promisify(execFile);
const binary = join(__dirname, '..', 'bin', 'trientropy.js');

function checkpointIn(dir: string) {
  return parseCheckpoint(readFileSync(join(dir, 'checkpoint.trientropy'), 'utf8'), dir);
}

describe('trientropy train, killed with SIGKILL mid-epoch and resumed', () => {
  let dir: string;
  let csv: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trientropy-kill-'));
    csv = writePcaCsv(dir, 1500, 2);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ends with the same parameters, bit for bit, as an uninterrupted run', async () => {
    // 1500 rows / batch 5 = 300 steps per epoch, 3 epochs.
    const flags = (out: string) => ['train', '--data', csv, '--epochs', '3', '--batch-size', '5', '--hidden', '6', '--latents', '1', '--checkpoint-every', '7', '--final-eval-samples', '1', '--out', out];
    const whole = join(dir, 'whole');
    await run(process.execPath, [binary, ...flags(whole)]);

    const interrupted = join(dir, 'interrupted');
    const child = spawn(process.execPath, [binary, ...flags(interrupted)], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Kill as soon as a mid-epoch checkpoint of the second epoch exists.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (child.exitCode !== null) {
          clearInterval(timer);
          reject(new Error('the run finished before it could be killed'));
          return;
        }
        if (!existsSync(join(interrupted, 'checkpoint.trientropy'))) return;
        const { progress } = checkpointIn(interrupted);
        if (progress.epoch === 2 && progress.batchesDone < progress.batchesPerEpoch) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 5);
    });
    expect(await exited).toBe('SIGKILL');
    expect(JSON.parse(readFileSync(join(interrupted, 'metrics.json'), 'utf8')).status).toBe('running');

    const { stdout } = await run(process.execPath, [binary, 'train', '--resume', interrupted]);
    expect(stdout).toMatch(/trained 3 epochs/);
    const expected = checkpointIn(whole);
    const actual = checkpointIn(interrupted);
    expect(actual.progress.step).toBe(900);
    expect(actual.variables.map((v) => Array.from(v.values))).toEqual(expected.variables.map((v) => Array.from(v.values)));
    const metrics = (d: string) => JSON.parse(readFileSync(join(d, 'metrics.json'), 'utf8'));
    // Every number but the wall-clock time is the same.
    const numbers = (d: string) => metrics(d).epochs.map(({ seconds, ...rest }: { seconds: number }) => (expect(seconds).toBeGreaterThan(0), rest));
    expect(numbers(interrupted)).toEqual(numbers(whole));
    expect(metrics(interrupted).final.elbo).toBe(metrics(whole).final.elbo);
    // Three CLI runs with a per-epoch stationarity certificate; the shared CI/dev machines can be heavily loaded.
  }, 300_000);
});
