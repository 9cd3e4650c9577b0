import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@trientropy/distributions';
import { cosineSchedule } from '@trientropy/trainers';
import { checkpointFileSink, readCheckpointFile } from '@trientropy/trainers/node';
import { runCli } from './cli-program.js';
import type { MetricsFile } from './metrics-file.js';
import { TRAIN_DEFAULTS } from './train-options.js';
import { memoryIo, writePcaCsv } from './test-support.js';

async function cli(argv: string[]) {
  const { io, stdout, stderr } = memoryIo();
  const code = await runCli(argv, io);
  return { code, stdout: stdout(), stderr: stderr() };
}

const metricsOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as MetricsFile & { settings: Record<string, unknown> };

// 200 rows in batches of 20: 10 steps an epoch.
const small = ['--backend', 'cpu', '--hidden', '4', '--latents', '1', '--batch-size', '20', '--final-eval-samples', '2', '--certificate-every', '100', '--quiet'];

/** Trains `argv` into `out`, which must succeed silently. */
async function train(argv: string[], out: string): Promise<void> {
  const result = await cli(['train', ...argv, ...small, '--out', out]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
}

/** Replaces the settings in the checkpoint of `out` (rewritten whole and re-signed, as the trainer writes it). */
async function editCheckpointSettings(out: string, edit: (settings: Record<string, unknown>) => Record<string, unknown>): Promise<string> {
  const path = join(out, 'checkpoint.trientropy');
  const checkpoint = await readCheckpointFile(path);
  await checkpointFileSink(out)({ ...checkpoint, metadata: { ...checkpoint.metadata, settings: edit(checkpoint.metadata.settings as Record<string, unknown>) } });
  return path;
}

describe('train --resume keeps the schedules the run started with', () => {
  let dir: string;
  let csv: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trientropy-resume-schedules-'));
    csv = writePcaCsv(dir, 200, 5);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--kl-anneal auto, resolved at the first start (2 steps of a 1-epoch run), is kept when --epochs 12 extends the run', async () => {
    const extended = join(dir, 'auto');
    await train(['--data', csv, '--epochs', '1', '--kl-anneal', 'auto', '--schedule', 'constant'], extended);
    expect((await readCheckpointFile(join(extended, 'checkpoint.trientropy'))).metadata.settings).toMatchObject({ klAnneal: 'auto', klAnnealSteps: 2 });
    const resumed = await cli(['train', '--resume', extended, '--epochs', '12', '--quiet']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    // The same run with the warm-up given as 2 steps from the start (a constant rate does not depend on the run's
    // length): bit for bit the same. Resolving auto again over the 120 steps would warm up over 24, through epoch 3.
    const reference = join(dir, 'two');
    await train(['--data', csv, '--epochs', '12', '--kl-anneal', '2', '--schedule', 'constant'], reference);
    const [a, b] = [metricsOf(extended), metricsOf(reference)];
    expect(a.settings).toMatchObject({ klAnneal: 'auto', klAnnealSteps: 2, epochs: 12 });
    expect(a.epochs.map((e) => e.beta)).toEqual(Array.from({ length: 12 }, () => 1));
    const trajectory = (m: MetricsFile) => m.epochs.map(({ elbo, entropySum, beta, learningRate, rawGapNats }) => ({ elbo, entropySum, beta, learningRate, rawGapNats }));
    expect(trajectory(a)).toEqual(trajectory(b));
    expect(a.final!.elbo).toBe(b.final!.elbo);
    const weights = (out: string) => JSON.parse(readFileSync(join(out, 'model.trientropy.json'), 'utf8')).weights;
    expect(weights(extended)).toEqual(weights(reference));
  });

  it("a checkpoint of the old format (no recorded schedule, boolean standardize) resumes with its build's cosine floor, 5 %", async () => {
    const out = join(dir, 'old');
    await train(['--data', csv, '--epochs', '1', '--lr', '0.01', '--kl-anneal', '0', '--standardize', 'off'], out);
    expect((await readCheckpointFile(join(out, 'checkpoint.trientropy'))).metadata.settings).toMatchObject({ cosineFinalFraction: TRAIN_DEFAULTS.lrFloor, klAnnealSteps: 0 });
    // The settings as a build before the --standardize modes (commit d2f11c6) wrote them.
    const path = await editCheckpointSettings(out, ({ cosineFinalFraction: _floor, klAnnealSteps: _steps, ...settings }) => ({ ...settings, standardize: false }));
    const resumed = await cli(['train', '--resume', out, '--epochs', '2', '--quiet']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const metrics = metricsOf(out);
    expect(metrics.settings).toMatchObject({ cosineFinalFraction: 0.05, klAnnealSteps: 0 });
    // The learning rate at the run's last step (20 of 20): 5 % of --lr, where that build's schedule ended, not 0.5 %.
    expect(metrics.epochs.at(-1)!.learningRate).toBe(cosineSchedule(0.01, 0.05)({ step: 20, totalSteps: 20 }));
    expect(metrics.epochs.at(-1)!.learningRate).toBeCloseTo(5e-4, 12);
    // The checkpoint the resumed run wrote records the schedules in full.
    expect((await readCheckpointFile(path)).metadata.settings).toMatchObject({ schedule: 'cosine', learningRate: 0.01, epochs: 2, cosineFinalFraction: 0.05, klAnneal: 0, klAnnealSteps: 0 });
  });

  it('--lr-hold, --lr-tail and --lr-floor are recorded and kept when --epochs extends the run; a checkpoint without lrHold and lrTail (older builds) holds nothing and has no tail', async () => {
    const out = join(dir, 'hold');
    await train(['--data', csv, '--epochs', '2', '--lr', '0.01', '--lr-hold', '0.5', '--lr-tail', '0.25', '--lr-floor', '0.1'], out);
    expect((await readCheckpointFile(join(out, 'checkpoint.trientropy'))).metadata.settings).toMatchObject({ lrHold: 0.5, lrTail: 0.25, cosineFinalFraction: 0.1 });
    // Step 10 of 20 (t = 9/19) is still in the hold; step 20 is the floor.
    expect(metricsOf(out).epochs.map((e) => e.learningRate)).toEqual([0.01, cosineSchedule(0.01, 0.1, 0.5, 0.25)({ step: 20, totalSteps: 20 })]);
    const resumed = await cli(['train', '--resume', out, '--epochs', '4', '--quiet']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const metrics = metricsOf(out);
    expect(metrics.settings).toMatchObject({ lrHold: 0.5, lrTail: 0.25, cosineFinalFraction: 0.1, epochs: 4 });
    // Stretched over the 40 steps of the extended run, as the cosine itself is: held through step 20, at the floor from t = 0.75.
    const stretched = cosineSchedule(0.01, 0.1, 0.5, 0.25);
    expect(metrics.epochs.slice(2).map((e) => e.learningRate)).toEqual([30, 40].map((step) => stretched({ step, totalSteps: 40 })));
    expect(metrics.epochs.at(-1)!.learningRate).toBeCloseTo(1e-3, 15);

    const old = join(dir, 'hold-old');
    await train(['--data', csv, '--epochs', '1', '--lr', '0.01'], old);
    // The settings as a build before --lr-hold wrote them: no lrHold, no lrTail.
    await editCheckpointSettings(old, ({ lrHold: _hold, lrTail: _tail, ...settings }) => settings);
    const again = await cli(['train', '--resume', old, '--epochs', '4', '--quiet']);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(metricsOf(old).settings).toMatchObject({ lrHold: 0, lrTail: 0, cosineFinalFraction: TRAIN_DEFAULTS.lrFloor });
    // The epochs after the first (which ran as a 1-epoch run) on the plain cosine over 40 steps, to the recorded floor.
    expect(metricsOf(old).epochs.slice(1).map((e) => e.learningRate)).toEqual([20, 30, 40].map((step) => cosineSchedule(0.01, TRAIN_DEFAULTS.lrFloor)({ step, totalSteps: 40 })));
  });

  it('refuses a checkpoint whose recorded schedule is invalid, naming the field, what it must be and what it is', async () => {
    const out = join(dir, 'invalid');
    await train(['--data', csv, '--epochs', '1'], out);
    const path = await editCheckpointSettings(out, (settings) => ({ ...settings, klAnnealSteps: -3 }));
    const result = await cli(['train', '--resume', out, '--epochs', '2']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`trientropy: --resume: ${path}: settings.klAnnealSteps: expected an integer ≥ 0, got -3\n`);
    await editCheckpointSettings(out, ({ klAnnealSteps: _steps, ...settings }) => ({ ...settings, cosineFinalFraction: 2 }));
    const floor = await cli(['train', '--resume', out, '--epochs', '2']);
    expect(floor.code).toBe(1);
    expect(floor.stderr).toBe(`trientropy: --resume: ${path}: settings.cosineFinalFraction: expected a number in [0, 1], got 2\n`);
    await editCheckpointSettings(out, ({ cosineFinalFraction: _floor, ...settings }) => ({ ...settings, lrHold: 1 }));
    const hold = await cli(['train', '--resume', out, '--epochs', '2']);
    expect(hold.code).toBe(1);
    expect(hold.stderr).toBe(`trientropy: --resume: ${path}: settings.lrHold: expected a number in [0, 1), got 1\n`);
    await editCheckpointSettings(out, (settings) => ({ ...settings, lrHold: 0.5, lrTail: 0.5 }));
    const tail = await cli(['train', '--resume', out, '--epochs', '2']);
    expect(tail.code).toBe(1);
    expect(tail.stderr).toBe(`trientropy: --resume: ${path}: settings.lrTail: expected a number in [0, 0.5) (below 1 − lrHold), got 0.5\n`);
  });
});

describe('config.json repeats the run', () => {
  let dir: string;
  let csv: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trientropy-config-schedules-'));
    csv = writePcaCsv(dir, 200, 5);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records --kl-anneal auto as the steps it resolved to, so --config keeps them when --epochs changes', async () => {
    const first = join(dir, 'first');
    await train(['--data', csv, '--epochs', '1', '--kl-anneal', 'auto'], first);
    // A fifth of 1 epoch of 10 steps.
    expect(JSON.parse(readFileSync(join(first, 'config.json'), 'utf8')).klAnneal).toBe(2);
    const again = join(dir, 'again');
    await train(['--config', join(first, 'config.json'), '--epochs', '2'], again);
    // Resolving auto again over the 20 steps would warm up over 4.
    expect(metricsOf(again).settings).toMatchObject({ klAnneal: 2, klAnnealSteps: 2, epochs: 2 });
    expect(JSON.parse(readFileSync(join(again, 'config.json'), 'utf8')).klAnneal).toBe(2);
  });

  it('records --lr-hold and --lr-floor as lrHold and lrFloor, so --config repeats the schedule; flags on the command line win', async () => {
    const first = join(dir, 'hold-first');
    await train(['--data', csv, '--epochs', '2', '--lr-hold', '0.25', '--lr-tail', '0.1', '--lr-floor', '0.001'], first);
    expect(JSON.parse(readFileSync(join(first, 'config.json'), 'utf8'))).toMatchObject({ schedule: 'cosine', lrHold: 0.25, lrTail: 0.1, lrFloor: 0.001 });
    const again = join(dir, 'hold-again');
    await train(['--config', join(first, 'config.json')], again);
    expect(metricsOf(again).settings).toMatchObject({ lrHold: 0.25, lrTail: 0.1, cosineFinalFraction: 0.001 });
    const trajectory = (m: MetricsFile) => m.epochs.map(({ elbo, learningRate }) => ({ elbo, learningRate }));
    expect(trajectory(metricsOf(again))).toEqual(trajectory(metricsOf(first)));
    const other = join(dir, 'hold-other');
    await train(['--config', join(first, 'config.json'), '--lr-hold', '0'], other);
    expect(metricsOf(other).settings).toMatchObject({ lrHold: 0, cosineFinalFraction: 0.001 });
  });

  // A config.json lacks a key: that flag's default of this build, as for every other key (a config.json written by a
  // run before --lr-hold has neither key, so it now gets this build's hold and floor; the changeset says how to pin them).
  it('reads a config.json without lrHold and lrFloor with the defaults of this build, and records them', async () => {
    const old = join(dir, 'old-schedule-config.json');
    writeFileSync(old, JSON.stringify({ data: csv, epochs: 1, schedule: 'cosine', lr: 0.01 }));
    const out = join(dir, 'from-old-schedule');
    await train(['--config', old], out);
    expect(metricsOf(out).settings).toMatchObject({ lrHold: TRAIN_DEFAULTS.lrHold, lrTail: TRAIN_DEFAULTS.lrTail, cosineFinalFraction: TRAIN_DEFAULTS.lrFloor });
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({ lrHold: TRAIN_DEFAULTS.lrHold, lrTail: TRAIN_DEFAULTS.lrTail, lrFloor: TRAIN_DEFAULTS.lrFloor });
  });

  it('still reads a config.json of an older build with klAnneal "auto", resolving it over the run it describes', async () => {
    const old = join(dir, 'old-config.json');
    writeFileSync(old, JSON.stringify({ data: csv, epochs: 2, klAnneal: 'auto' }));
    const out = join(dir, 'from-old');
    await train(['--config', old], out);
    expect(metricsOf(out).settings).toMatchObject({ klAnneal: 'auto', klAnnealSteps: 4 });
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).klAnneal).toBe(4);
  });
});
