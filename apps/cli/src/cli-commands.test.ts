import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@trientropy/distributions';
import { generatePca } from '@trientropy/data';
import { vaeFileChecksum } from '@trientropy/models';
import { parseCheckpoint } from '@trientropy/trainers';
import { RUN_LOCK_FILE_NAME, lockRunDirectory } from '@trientropy/trainers/node';
import { runCli } from './cli-program.js';
import { InterruptSignal } from './interrupt.js';
import { CLI_BINARY as binary, memoryIo, runProcess as run } from './test-support.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** pandas' default `DataFrame.to_csv()`: an index column under an empty corner cell. */
function writePandasCsv(path: string, rows: number, seed: number): void {
  const { data } = generatePca({ n: rows, dataDim: 4, latentDim: 2, seed });
  const lines = [',a,b,c,d'];
  for (let r = 0; r < rows; r++) lines.push([r, ...Array.from(data.values.subarray(r * 4, r * 4 + 4))].join(','));
  writeFileSync(path, `${lines.join('\n')}\n`);
}

function expectSvg(path: string, texts: string[]): void {
  const svg = readFileSync(path, 'utf8');
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  for (const text of texts) expect(svg).toContain(text);
}

function expectPng(path: string): void {
  expect(Array.from(readFileSync(path).subarray(0, 8))).toEqual(PNG_SIGNATURE);
}

async function cli(argv: string[], interrupt?: InterruptSignal) {
  const { io, stdout, stderr } = memoryIo();
  const code = await runCli(argv, io, interrupt);
  return { code, stdout: stdout(), stderr: stderr() };
}

const small = ['--backend', 'cpu', '--hidden', '4', '--batch-size', '50', '--final-eval-samples', '2'];

describe('trientropy commands end to end', () => {
  let dir: string;
  let csv: string;
  let runDir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trientropy-commands-'));
    csv = join(dir, 'pandas.csv');
    writePandasCsv(csv, 200, 3);
    runDir = join(dir, 'run');
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ data: csv, latents: 2, epochs: 5, evalSplit: 0.25, seed: 4 }));
    // --epochs on the command line wins over the file's 5.
    const result = await cli(['train', '--config', join(dir, 'config.json'), '--epochs', '2', '--json', ...small, '--out', runDir]);
    expect(result.stderr).not.toMatch(/^trientropy:/m);
    expect(result.code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('train: --config with flags winning, a pandas CSV, --json on stdout, config.json, metrics.jsonl and plots', () => {
    const metrics = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8'));
    expect(metrics.status).toBe('completed');
    expect(metrics.epochs).toHaveLength(2);
    expect(metrics.settings).toMatchObject({ epochs: 2, latents: 2, seed: 4, evalSplit: 0.25 });
    const lines = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual(metrics.epochs);
    for (const epoch of lines) expect(epoch.heldOutElbo).toEqual(expect.any(Number));
    const config = JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ data: csv, epochs: 2, latents: 2, evalSplit: 0.25, batchSize: 50, hidden: [4] });
    // 4 data columns: the pandas index column was dropped.
    expect(metrics.final.kind).toBe('vae-1');
    expectSvg(join(runDir, 'plots', 'training.svg'), ['ELBO', 'entropy sum', 'held-out ELBO', '|ELBO − entropy sum before closed-form steps| / |final ELBO|', 'per cent, log scale', 'gap (%)']);
    expectSvg(join(runDir, 'plots', 'encoder-entropies.svg'), ['z1', 'z2', 'prior entropy 1.42', 'collapse threshold 1']);
    expectSvg(join(runDir, 'plots', 'latent-space.svg'), ['z1', 'z2', 'encoder means of 150 points']);
    for (const name of ['training', 'encoder-entropies', 'latent-space']) expectPng(join(runDir, 'plots', `${name}.png`));
  });

  it('train --json prints one JSON document with the run directory and the final evaluation', async () => {
    const out = join(dir, 'json');
    const { code, stdout } = await cli(['train', '--data', csv, '--epochs', '1', '--json', '--quiet', ...small, '--out', out]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ runDirectory: out, status: 'completed', final: { kind: 'vae-1' } });
    expect(result.plots).toContain(join(out, 'plots', 'training.svg'));
  });

  it('--polish-steps n polishes the last epoch (reported on stderr and in metrics.json, recorded in config.json); --model linear ignores it', async () => {
    const out = join(dir, 'polished');
    const result = await cli(['train', '--data', csv, '--epochs', '2', '--polish-steps', '3', ...small, '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^polish before the last certificate: [0-3] of at most 3 conjugate-gradient steps on 200 rows × 16 fixed draws raised its ELBO from -?\d+\.\d{5} to -?\d+\.\d{5} in \d+\.\d s$/m);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.epochs[0].polish).toBeUndefined();
    expect(metrics.epochs[1].polish).toMatchObject({ steps: 3, samples: 16, rows: 200 });
    expect(metrics.epochs[1].polish.endElbo).toBeGreaterThanOrEqual(metrics.epochs[1].polish.startElbo);
    expect(metrics.epochs[1].closedFormSteps[0]).toBe('joint conjugate-gradient ascent on the full ELBO (at most 3 steps, 16 fixed draws of z per point)');
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).polishSteps).toBe(3);
    const linear = join(dir, 'polished-linear');
    expect((await cli(['train', '--data', csv, '--model', 'linear', '--epochs', '2', '--polish-steps', '3', '--backend', 'cpu', '--batch-size', '50', '--final-eval-samples', '2', '--out', linear])).code).toBe(0);
    expect(JSON.parse(readFileSync(join(linear, 'metrics.json'), 'utf8')).epochs[1].polish).toBeUndefined();
  });

  it('refuses an existing run without --force, replaces it with --force', async () => {
    const out = join(dir, 'twice');
    expect((await cli(['train', '--data', csv, '--epochs', '1', '--quiet', ...small, '--out', out])).code).toBe(0);
    const again = await cli(['train', '--data', csv, '--epochs', '1', ...small, '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/^trientropy: --out: .* already holds a run .*pass --force/);
    expect((await cli(['train', '--data', csv, '--epochs', '1', '--quiet', '--force', ...small, '--out', out])).code).toBe(0);
  });

  it('--resume extends a completed run with --epochs and refuses a complete one without it', async () => {
    const out = join(dir, 'extend');
    expect((await cli(['train', '--data', csv, '--epochs', '1', '--quiet', ...small, '--out', out])).code).toBe(0);
    const complete = await cli(['train', '--resume', out]);
    expect(complete.code).toBe(2);
    expect(complete.stderr).toMatch(/^trientropy: --resume: the run in .* is complete \(1 of 1 epochs\); pass --epochs N/);
    const extended = await cli(['train', '--resume', out, '--epochs', '3', '--quiet']);
    expect(extended.stderr).toBe('');
    expect(extended.code).toBe(0);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.epochs.map((e: { epoch: number }) => e.epoch)).toEqual([1, 2, 3]);
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
    const other = await cli(['train', '--resume', out, '--lr', '0.1']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/^trientropy: --lr: not allowed with --resume/);
    // The schedule's shape is the run's own too: a resumed run keeps the hold and floor it started with.
    for (const flag of ['--lr-hold', '--lr-floor']) {
      const shape = await cli(['train', '--resume', out, flag, '0.5']);
      expect(shape.code).toBe(2);
      expect(shape.stderr).toMatch(new RegExp(`^trientropy: ${flag}: not allowed with --resume`));
    }
  });

  it('a corrupt checkpoint gives one line naming --resume and exit code 1', async () => {
    const out = join(dir, 'corrupt');
    expect((await cli(['train', '--data', csv, '--epochs', '1', '--quiet', ...small, '--out', out])).code).toBe(0);
    writeFileSync(join(out, 'checkpoint.trientropy'), 'not a checkpoint\n');
    const result = await cli(['train', '--resume', out, '--epochs', '2']);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^trientropy: --resume: .*checkpoint\.trientropy cannot be read/);
  });

  it.each([
    [['train', '--data', 'nonsense'], 2, /^trientropy: --data: unknown data set 'nonsense'; expected one of: synthetic:pca, /],
    [['train', '--config', '/nonexistent/config.json'], 2, /^trientropy: --config: cannot read \/nonexistent\/config\.json/],
    [['train', '--delimiter', 'ab'], 2, /^trientropy: --delimiter: expected one character/],
    [['train', '--header', 'maybe'], 2, /^trientropy: --header: expected one of yes, no, auto/],
    [['eval', '/nonexistent/run'], 2, /^trientropy: RUN_DIR\|MODEL_FILE: \/nonexistent\/run does not exist/],
    [['sample', '/nonexistent/model.json', '-n', '3'], 2, /^trientropy: MODEL_FILE: \/nonexistent\/model\.json does not exist/],
    [['plot', '/nonexistent'], 2, /^trientropy: RUN_DIR: \/nonexistent is not a run directory/],
  ] as [string[], number, RegExp][])('%p fails with exit code %p and one line naming the argument', async (argv, exitCode, message) => {
    const result = await cli(argv);
    expect(result.code).toBe(exitCode);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it('rejects misspelt config keys and bad values, naming the file and key', async () => {
    writeFileSync(join(dir, 'typo.json'), JSON.stringify({ epochz: 3 }));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ epochs: 0 }));
    expect((await cli(['train', '--config', join(dir, 'typo.json')])).stderr).toMatch(/^trientropy: --config: .*typo\.json: unknown key epochz/);
    expect((await cli(['train', '--config', join(dir, 'bad.json')])).stderr).toBe("trientropy: --epochs: expected an integer ≥ 1, got '0' (see --help)\n");
  });

  it('--data errors come before the backend report; a ;-separated file gets a --delimiter hint', async () => {
    const semicolons = join(dir, 'semi.csv');
    writeFileSync(semicolons, 'a;b\n1;2\n3;4\n');
    const bad = await cli(['train', '--backend', 'cpu', '--data', semicolons, '--out', join(dir, 'semi')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).not.toMatch(/backend:/);
    expect(bad.stderr).toMatch(/^trientropy: --data: .*semi\.csv.*pass --delimiter ';'/);
    const good = await cli(['train', '--data', semicolons, '--delimiter', ';', '--epochs', '1', '--latents', '1', '--quiet', ...small, '--out', join(dir, 'semi')]);
    expect(good.code).toBe(0);
  });

  it('--model bernoulli refuses data outside [0, 1] and never reports the theorem as applying', async () => {
    const refused = await cli(['train', '--model', 'bernoulli', '--data', csv, ...small, '--out', join(dir, 'bern')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^trientropy: --model bernoulli: .* has values in \[.*\], but a Bernoulli decoder models values in \[0, 1\]/m);
    const unit = join(dir, 'unit.csv');
    writeFileSync(unit, `a,b,c\n${Array.from({ length: 60 }, (_, i) => [(i % 7) / 7, (i % 3) / 3, (i % 5) / 5].join(',')).join('\n')}\n`);
    const out = join(dir, 'bern');
    const trained = await cli(['train', '--model', 'bernoulli', '--option', 'likelihood=continuous-bernoulli', '--data', unit, '--epochs', '1', '--latents', '1', ...small, '--out', out]);
    expect(trained.code).toBe(0);
    expect(trained.stderr).toMatch(/proved for Gaussian decoders/);
    expect(JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).final.entropySumTheoremApplies).toBe(false);
    const evaluated = await cli(['eval', out, '--backend', 'cpu', '--samples', '2', '--iwae-k', '2', '--json']);
    expect(evaluated.code).toBe(0);
    const { entropySum, certificate } = JSON.parse(evaluated.stdout);
    expect(entropySum.trust).toMatchObject({ theoremApplies: false, trustworthy: false, reason: expect.stringMatching(/proved for Gaussian decoders/) });
    // Stationarity of the ELBO is still certified (the theorem's conclusion is what does not apply).
    expect(typeof certificate.converged).toBe('boolean');
  });

  it('eval reports MC ELBO ± s.e., the entropy sum with its trust check, IWAE and collapse verdicts', async () => {
    const { code, stdout } = await cli(['eval', runDir, '--backend', 'cpu', '--samples', '3', '--iwae-k', '4', '--certificate-samples', '3', '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.points).toBe(50);
    expect(result.data).toMatch(/^held-out rows of/);
    expect(result.elbo).toMatchObject({ value: expect.any(Number), standardError: expect.any(Number), samples: 3 });
    expect(result.entropySum.trust).toMatchObject({ theoremApplies: true, trustworthy: expect.any(Boolean) });
    expect(result.iwae.k).toBe(4);
    // In expectation L_1 = ELBO ≤ L_k; with 50 points allow a few standard errors.
    expect(result.iwae.value).toBeGreaterThan(result.elbo.value - 4 * result.elbo.standardError);
    expect(result.encoderEntropies).toHaveLength(2);
    expect(result.posteriorCollapse.active.length + result.posteriorCollapse.collapsed.length).toBe(2);
    // The stationarity certificate: on the run's training rows, with the raw gap of its last epoch (measured before
    // the closed-form steps), one gain per parameter group; the entropy sum is trusted only if it says converged.
    const { certificate } = result;
    const lastEpoch = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8')).epochs.at(-1);
    expect(certificate.certifiedOn).toMatch(/^training rows of .* \(150 points\)$/);
    expect(certificate.points).toBe(150);
    expect(certificate.rawGap.measured).toBe('before-closed-form-steps');
    expect(certificate.rawGap.nats).toBeCloseTo(Math.abs(lastEpoch.rawGapNats), 10);
    expect(certificate.rawGap.relativeGap).toBeCloseTo(certificate.rawGap.nats / certificate.rawGap.scale, 10);
    expect(certificate.groups.map((g: { name: string }) => g.name)).toEqual(expect.arrayContaining(['encoder', 'decoder', 'logDecoderVariance']));
    expect(certificate.samples).toBe(3);
    // A group is stationary only when its gain plus two Monte-Carlo standard errors is within the tolerance.
    const scale = Math.max(Math.abs(certificate.elbo), 1);
    for (const g of certificate.groups) {
      expect(g.gainStandardError).toBeGreaterThanOrEqual(0);
      expect(g.stationary).toBe((g.gain + 2 * g.gainStandardError) / scale <= certificate.tolerances.gain);
      expect(g.stationary).toBe(g.verdict === 'below');
    }
    expect(certificate.ascent.standardError).toBeGreaterThanOrEqual(0);
    expect(certificate.undecided).toBe(!certificate.converged && certificate.reasons.every((r: string) => r.includes('undecided')));
    expect(certificate.converged).toBe(certificate.reasons.length === 0 && certificate.checks.gradient && certificate.checks.rawGap);
    if (result.entropySum.trust.trustworthy) expect(certificate.converged).toBe(true);
    const human = await cli(['eval', join(runDir, 'model.trientropy.json'), '--backend', 'cpu', '--samples', '2', '--iwae-k', '2', '--training']);
    expect(human.stdout).toMatch(/ELBO \(Monte Carlo, 2 samples\/point\)\s+-?\d+\.\d+ ± \d+\.\d+/);
    expect(human.stdout).toMatch(/training rows of .* \(150 points\)/);
    expect(human.stdout).toMatch(/stationarity certificate on training rows of .* \(150 points\) \(monte-carlo gradients\): (converged|NOT converged|undecided \(Monte-Carlo noise; more samples decide\))\n/);
    expect(human.stdout).toMatch(/gain of a gradient step, relative to \|ELBO\| \(\+ 2 s\.e\. ≤ 0\.0001\): encoder -?\d\.\d\de[-+]\d+( ± \d\.\de[-+]\d+)?( ✗| \?)?, decoder /);
    expect(human.stdout).toMatch(/raw gap \d\.\d\de[-+]\d+ of \(D \+ H\)\/2 = \d\.\d\de[-+]\d+ nats \(before closed form steps; ≤ 0\.01\)/);
    // A model file outside its run directory: certified on the evaluated rows, measured at this state, said in a note.
    const alone = join(dir, 'alone.trientropy.json');
    writeFileSync(alone, readFileSync(join(runDir, 'model.trientropy.json')));
    const bare = await cli(['eval', alone, '--data', csv, '--backend', 'cpu', '--samples', '2', '--iwae-k', '2', '--json']);
    expect(bare.code).toBe(0);
    expect(bare.stderr).toMatch(/stationarity certificate: no run directory, so it is computed on the evaluated rows/);
    const bareResult = JSON.parse(bare.stdout);
    // The model file records its standardisation (train's default for VAE-1: shared), so no metrics.json is needed.
    expect(bareResult.warnings).toBeUndefined();
    expect(bareResult.standardization.logJacobian).toBeCloseTo(JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8')).standardization.logJacobian, 10);
    // A version 1 file (older builds recorded it only in metrics.json) without its metrics.json: the units are
    // unknown, said, even with --quiet.
    const { checksum: _checksum, standardization: _standardization, ...body } = JSON.parse(readFileSync(alone, 'utf8'));
    const old = join(dir, 'old.trientropy.json');
    const oldBody = { ...body, version: 1 };
    writeFileSync(old, JSON.stringify({ ...oldBody, checksum: { algorithm: 'sha256', value: vaeFileChecksum(oldBody) } }));
    const oldResult = JSON.parse((await cli(['eval', old, '--data', csv, '--backend', 'cpu', '--samples', '2', '--iwae-k', '2', '--json'])).stdout);
    expect(oldResult.warnings).toEqual([expect.stringMatching(/is a version 1 model file .* with no metrics\.json beside it, so whether it was trained on standardised data .* is unknown/)]);
    const quiet = await cli(['eval', '--quiet', old, '--data', csv, '--backend', 'cpu', '--samples', '2', '--iwae-k', '2']);
    expect(quiet.stderr).toMatch(/^warning: .* is a version 1 model file .* with no metrics\.json beside it/m);
    const inRun = await cli(['eval', runDir, '--backend', 'cpu', '--samples', '2', '--iwae-k', '2', '--json']);
    expect(JSON.parse(inRun.stdout).warnings).toBeUndefined();
    expect(bareResult.certificate.certifiedOn).toMatch(/^all rows of .* \(200 points\)$/);
    expect(bareResult.certificate.rawGap.measured).toBe('at-this-state');
  });

  it('eval on a corrupt model file fails with exit code 1 naming the file', async () => {
    const broken = join(dir, 'broken.trientropy.json');
    writeFileSync(broken, '{"format":"trientropy-vae"');
    const result = await cli(['eval', broken, '--data', csv, '--backend', 'cpu']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^trientropy: RUN_DIR\|MODEL_FILE: .*broken\.trientropy\.json is not a readable trientropy model file/);
  });

  it('sample writes samples and reconstructions as CSV, and PNG grids for image data', async () => {
    const out = join(dir, 'samples');
    const { code, stdout } = await cli(['sample', join(runDir, 'model.trientropy.json'), '-n', '5', '--out', out, '--backend', 'cpu', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ samples: 5, reconstructions: 5 });
    const rows = readFileSync(join(out, 'samples.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('x1,x2,x3,x4');
    expect(rows).toHaveLength(6);
    expect(readFileSync(join(out, 'reconstructions.csv'), 'utf8').trim().split('\n')).toHaveLength(6);
    // 8 × 8 "images" in [0, 1].
    const images = join(dir, 'images.csv');
    writeFileSync(images, `${Array.from({ length: 40 }, (_, i) => Array.from({ length: 64 }, (_, j) => ((i * 7 + j * 3) % 11) / 10).join(',')).join('\n')}\n`);
    const imageRun = join(dir, 'image-run');
    expect((await cli(['train', '--data', images, '--epochs', '1', '--latents', '2', '--quiet', ...small, '--out', imageRun])).code).toBe(0);
    for (const name of ['samples.png', 'reconstructions.png']) expectPng(join(imageRun, 'plots', name));
    expect((await cli(['sample', imageRun, '-n', '4', '--backend', 'cpu', '--quiet'])).code).toBe(0);
    expectPng(join(imageRun, 'samples.png'));
    expectPng(join(imageRun, 'reconstructions.png'));
  });

  it('plot redraws the plots of a run directory', async () => {
    rmSync(join(runDir, 'plots'), { recursive: true });
    const { code, stdout } = await cli(['plot', runDir, '--backend', 'cpu', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).files).toEqual(expect.arrayContaining([join(runDir, 'plots', 'training.svg'), join(runDir, 'plots', 'latent-space.png')]));
    expectSvg(join(runDir, 'plots', 'training.svg'), ['entropy sum']);
    expect(existsSync(join(runDir, RUN_LOCK_FILE_NAME))).toBe(false);
  });

  it('plot and sample take the run directory lock: refused (exit 1, holder named) while another writer holds it', async () => {
    const lock = await lockRunDirectory(runDir);
    try {
      const plot = await cli(['plot', runDir, '--backend', 'cpu']);
      expect(plot.code).toBe(1);
      expect(plot.stderr).toMatch(new RegExp(`^trientropy: RUN_DIR: run directory ${runDir} is in use by process ${process.pid} `));
      const sample = await cli(['sample', runDir, '-n', '2', '--backend', 'cpu']);
      expect(sample.code).toBe(1);
      expect(sample.stderr).toMatch(/^trientropy: MODEL_FILE: run directory .* is in use by process/);
    } finally {
      await lock.release();
    }
    expect((await cli(['sample', runDir, '-n', '2', '--backend', 'cpu', '--quiet'])).code).toBe(0);
    expect(existsSync(join(runDir, RUN_LOCK_FILE_NAME))).toBe(false);
  });

  it('Ctrl-C stops training after the current step: checkpoint at that batch, status interrupted, exit code 130; resumed, it is the uninterrupted run bit for bit', async () => {
    // 200 rows / batch 10 = 20 steps per epoch; the stop comes at the step after the first checkpoint appears,
    // mid-epoch (the result is the same wherever it lands: that is what is tested).
    const flags = (out: string) => ['train', '--data', csv, '--epochs', '2', '--checkpoint-every', '1', '--quiet', ...small, '--batch-size', '10', '--out', out];
    const whole = join(dir, 'not-interrupted');
    expect((await cli(flags(whole))).code).toBe(0);
    const out = join(dir, 'interrupted');
    const interrupt = new InterruptSignal();
    const before = tf.memory().numTensors;
    const pending = cli(flags(out), interrupt);
    const timer = setInterval(() => {
      if (existsSync(join(out, 'checkpoint.trientropy'))) interrupt.request();
    }, 5);
    const result = await pending;
    clearInterval(timer);
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/^trientropy: interrupted (after|in) epoch \d+ .*checkpointed there; .*--resume/m);
    expect(tf.memory().numTensors).toBe(before);
    const checkpoint = (d: string) => parseCheckpoint(readFileSync(join(d, 'checkpoint.trientropy'), 'utf8'), d);
    const metrics = (d: string) => JSON.parse(readFileSync(join(d, 'metrics.json'), 'utf8'));
    expect(metrics(out).status).toBe('interrupted');
    // Only whole epochs are recorded: a partial one is finished by --resume.
    expect(metrics(out).epochs).toHaveLength(checkpoint(out).records.length);
    expect(checkpoint(out).progress.step).toBeLessThan(40);
    const resumed = await cli(['train', '--resume', out, '--quiet']);
    expect(resumed.code).toBe(0);
    expect(checkpoint(out).variables.map((v) => Array.from(v.values))).toEqual(checkpoint(whole).variables.map((v) => Array.from(v.values)));
    const numbers = (d: string) => metrics(d).epochs.map(({ seconds: _seconds, ...rest }: { seconds: number }) => rest);
    expect(numbers(out)).toEqual(numbers(whole));
    expect(metrics(out).final).toEqual(metrics(whole).final);
  });
});

describe('trientropy (built binary)', () => {
  it('prints its version', async () => {
    const { stdout } = await run(process.execPath, [binary, '--version']);
    expect(stdout.trim()).toBe(JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).version);
  });

  it('exits quietly when its output pipe closes early (EPIPE)', async () => {
    const { stdout, stderr } = await run('/bin/sh', ['-c', `"${process.execPath}" "${binary}" help train | head -1`]);
    expect(stdout).toMatch(/^Usage: trientropy train/);
    expect(stderr).toBe('');
  });
});
