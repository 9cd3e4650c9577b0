import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import * as tf from '@tensorflow/tfjs-core';
import '@trientropy/distributions';
import { deserializeVae } from '@trientropy/models';
import { runCli } from './cli-program.js';
import { InterruptSignal } from './interrupt.js';
import { CLI_BINARY as binary, memoryIo, runProcess as run, writePcaCsv } from './test-support.js';


describe('trientropy (in process)', () => {
  let dir: string;
  let csv: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trientropy-cli-'));
    csv = writePcaCsv(dir, 200, 1, true);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trains on a CSV file, prints the per-epoch table and writes metrics.json in the documented schema', async () => {
    const { io, stdout, stderr } = memoryIo();
    const out = join(dir, 'run');
    const before = tf.memory().numTensors;
    const code = await runCli(['train', '--backend', 'cpu', '--data', csv, '--epochs', '3', '--hidden', '6', '--latents', '1', '--batch-size', '40', '--out', out, '--final-eval-samples', '2'], io);
    expect(stderr()).not.toMatch(/trientropy:/);
    expect(code).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    const lines = stdout().trim().split('\n');
    expect(lines[0]).toMatch(/epoch\s+ELBO\s+entropy sum\s+raw gap\/\(\(D\+H\)\/2\)\s+after\/\(\(D\+H\)\/2\)\s+sigma\^2\s+grad gain\s+certified\s+held-out ELBO/);
    expect(lines.slice(1, 4).map((l) => l.trim().split(/\s+/)[0])).toEqual(['1', '2', '3']);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics).toMatchObject({ model: 'vae-1', backend: 'cpu', data: csv, seed: 0, status: 'completed' });
    expect(metrics.epochs).toHaveLength(3);
    for (const epoch of metrics.epochs) {
      expect(Object.keys(epoch).sort()).toEqual(['beta', 'certificate', 'closedFormSteps', 'elbo', 'encoderEntropies', 'entropySum', 'epoch', 'heldOutElbo', 'kl', 'learningRate', 'rawGapNats', 'rawRelativeGap', 'reconstruction', 'relativeGap', 'seconds', 'sigma2']);
      expect(epoch.encoderEntropies).toHaveLength(1);
      expect(epoch.beta).toBe(1);
      expect(epoch.learningRate).toBeGreaterThan(0);
      expect(epoch.reconstruction - epoch.kl).toBeCloseTo(epoch.elbo, 3);
      expect(Number.isFinite(epoch.elbo) && Number.isFinite(epoch.entropySum) && epoch.sigma2 > 0).toBe(true);
    }
    // The table's gaps are |ELBO − entropy sum| before and after the closed-form steps, relative to (D + H)/2 = 2.5
    // (D = 4, H = 1), not to |ELBO|, which moves with the data's units (this run is standardised, vae-1's default).
    lines.slice(1, 4).forEach((line, i) => {
      const [, , , rawGap, after] = line.trim().split(/\s+/);
      const epoch = metrics.epochs[i];
      expect(rawGap).toBe((Math.abs(epoch.rawGapNats) / 2.5).toExponential(2));
      expect(after).toBe((Math.abs(epoch.elbo - epoch.entropySum) / 2.5).toExponential(2));
      expect(rawGap).not.toBe(epoch.rawRelativeGap.toExponential(2));
    });
    const final = metrics.final;
    expect(final.relativeGap).toBeCloseTo(Math.abs(final.elbo - final.entropySum) / Math.abs(final.elbo), 10);
    expect(final.entropySum).toBeCloseTo(final.entropies.encoder - final.entropies.prior - final.entropies.decoder, 4);
    // H[p(z)] of a 1-D standard normal.
    expect(final.entropies.prior).toBeCloseTo(0.5 * Math.log(2 * Math.PI * Math.E), 5);
  });

  it('trains VAE-2 with a model option, evaluates held-out data, reports collapse and saves a loadable model', async () => {
    const { io, stdout, stderr } = memoryIo();
    const out = join(dir, 'vae2');
    const code = await runCli(
      ['train', '--backend', 'cpu', '--data', csv, '--model', 'vae-2', '--option', 'weightConstraint=regularize', '--latents', '2', '--hidden', '5', '--epochs', '2', '--batch-size', '50', '--eval-split', '0.25', '--final-eval-samples', '2', '--out', out],
      io,
    );
    expect(stderr()).not.toMatch(/trientropy:/);
    expect(code).toBe(0);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.model).toBe('vae-2');
    expect(metrics.settings.modelOptions).toEqual({ weightConstraint: 'regularize' });
    expect(metrics.final.priorVariances).toHaveLength(2);
    expect(metrics.heldOut.elbo).toEqual(expect.any(Number));
    expect(metrics.posteriorCollapse.active.length + metrics.posteriorCollapse.collapsed.length).toBe(2);
    expect(stdout()).toMatch(/held out \(50 points\)/);
    const model = deserializeVae(readFileSync(join(out, 'model.trientropy.json'), 'utf8'));
    expect(model.kind).toBe('vae-2');
    model.dispose();
  });

  it('streams a CSV file from disk with --stream, evaluating on its first rows', async () => {
    const { io, stdout, stderr } = memoryIo();
    const out = join(dir, 'streamed');
    const code = await runCli(['train', '--backend', 'cpu', '--data', csv, '--stream', '--shuffle-buffer', '64', '--eval-rows', '50', '--epochs', '2', '--hidden', '5', '--latents', '1', '--batch-size', '40', '--final-eval-samples', '2', '--out', out], io);
    expect(stderr()).not.toMatch(/trientropy:/);
    expect(code).toBe(0);
    expect(stderr()).toMatch(/200 × 4, streamed from disk in batches of 40 \(shuffle buffer 64 rows\); the first 50 rows are the evaluation sample/);
    expect(stdout()).toMatch(/trained 2 epochs/);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.epochs).toHaveLength(2);
    expect(metrics.heldOut).toBeNull();
  });

  it('a Ctrl-C mid-epoch of a --stream run keeps the table and metrics to whole epochs, as without --stream', async () => {
    const { io, stderr } = memoryIo();
    const interrupt = new InterruptSignal();
    // Ctrl-C once epoch 1's row is out: epoch 2 stops after its first batch. Written synchronously, so the request
    // lands before epoch 2 starts.
    let table = '';
    const stdout = new Writable({
      write(chunk: Buffer, _encoding, done) {
        table += chunk.toString();
        if (/^\s*1\s+-?\d/m.test(table)) interrupt.request();
        done();
      },
    });
    const out = join(dir, 'streamed-interrupted');
    const code = await runCli(['train', '--backend', 'cpu', '--data', csv, '--stream', '--eval-rows', '50', '--epochs', '3', '--hidden', '5', '--latents', '1', '--batch-size', '40', '--out', out], { ...io, stdout }, interrupt);
    expect(code).toBe(130);
    expect(stderr()).toMatch(/epoch 2 stopped after 1 of 5 batches \(step 6\); not recorded, and a --stream run cannot be resumed/);
    expect(stderr()).toMatch(/interrupted in epoch 2 after 1 of 5 batches \(step 6\); runs with --stream write no checkpoint/);
    expect(table).not.toMatch(/^\s*2\s+-?\d/m);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.status).toBe('interrupted');
    expect(metrics.epochs.map((e: { epoch: number }) => e.epoch)).toEqual([1]);
  });

  it('a --stream file that shrinks while training fails the run rather than record a short epoch', async () => {
    const { io, stderr } = memoryIo();
    const own = join(dir, 'shrinking');
    mkdirSync(own);
    const file = writePcaCsv(own, 200, 1, true);
    // Once epoch 1's row is out, the file loses half its rows: epoch 2 reads 3 of the 5 batches counted.
    let table = '';
    const stdout = new Writable({
      write(chunk: Buffer, _encoding, done) {
        table += chunk.toString();
        if (/^\s*1\s+-?\d/m.test(table) && !table.includes('shrunk')) {
          writePcaCsv(own, 100, 1, true);
          table += 'shrunk';
        }
        done();
      },
    });
    const out = join(dir, 'shrinking-run');
    const code = await runCli(['train', '--backend', 'cpu', '--data', file, '--stream', '--eval-rows', '50', '--epochs', '3', '--hidden', '5', '--latents', '1', '--batch-size', '40', '--out', out], { ...io, stdout });
    expect(code).toBe(1);
    expect(stderr()).toContain(`--data: ${file} gave 3 of 5 batches in epoch 2; did the file change while training?`);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.status).toBe('failed');
    expect(metrics.epochs.map((e: { epoch: number }) => e.epoch)).toEqual([1]);
  });

  it('lists the model variants and their options', async () => {
    const { io, stdout } = memoryIo();
    expect(await runCli(['models'], io)).toBe(0);
    for (const kind of ['vae-0', 'vae-1', 'vae-2', 'vae-3', 'linear', 'bernoulli']) expect(stdout()).toMatch(new RegExp(`^${kind}: `, 'm'));
    expect(stdout()).toMatch(/--option weightConstraint=<rescale\|regularize>/);
  });

  it('doctor reports every backend, with the reason when one does not load', async () => {
    const { io, stdout } = memoryIo();
    expect(await runCli(['doctor'], io)).toBe(0);
    for (const name of ['cpu', 'wasm', 'native', 'node', 'cuda']) expect(stdout()).toContain(name);
    expect(stdout()).toMatch(/--backend auto would use: \w+/);
  });

  it.each([
    [['train', '--epochs', '0'], "trientropy: --epochs: expected an integer ≥ 1, got '0' (see --help)"],
    [['train', '--model', 'vae-7'], /^trientropy: --model: expected one of vae-0, .*, got 'vae-7' \(see --help\)$/],
    [['train', '--model', 'linear', '--hidden', '8'], 'trientropy: --hidden: the linear model has no hidden layers (see --help)'],
    [['train', '--option', 'colour=red'], /^trientropy: --option: colour: expected an option of vae-1 \(.*\), got an unknown option \(see --help\)$/],
    [['train', '--option', 'seed=3'], 'trientropy: --option: seed is set by --seed, not by --option (see --help)'],
    [['train', '--bogus'], "trientropy: unknown option '--bogus' (see --help)"],
    [['train', '--lr'], /^trientropy: option '--lr <rate>' argument missing/],
    [['fit'], "trientropy: unknown command 'fit' (see --help)"],
  ] as [string[], string | RegExp][])('rejects %p with one line on stderr and exit code 2', async (argv, message) => {
    const { io, stderr } = memoryIo();
    expect(await runCli(argv, io)).toBe(2);
    const lines = stderr().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    if (typeof message === 'string') expect(lines[0]).toBe(message);
    else expect(lines[0]).toMatch(message);
  });

  it('fails with exit code 1 and a message naming the file when the CSV does not exist', async () => {
    const { io, stderr } = memoryIo();
    const missing = join(dir, 'missing.csv');
    expect(await runCli(['train', '--backend', 'cpu', '--data', missing, '--out', join(dir, 'never')], io)).toBe(1);
    expect(stderr()).toContain(missing);
  });

  it('stops on a non-finite loss, exits 1 and leaves metrics.json marked failed', async () => {
    const huge = join(dir, 'huge.csv');
    writeFileSync(huge, '1e30,2e30\n-3e30,1e30\n2e30,-1e30\n');
    const { io, stderr } = memoryIo();
    const out = join(dir, 'failed');
    // Without standardisation (which would bring these values to order 1).
    expect(await runCli(['train', '--backend', 'cpu', '--data', huge, '--standardize', 'off', '--epochs', '2', '--hidden', '2', '--latents', '1', '--out', out], io)).toBe(1);
    expect(stderr()).toMatch(/non-finite loss in epoch 1/);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.status).toBe('failed');
    expect(metrics.error).toMatch(/non-finite loss/);
    expect(metrics.final).toBeNull();
  });
});

describe('trientropy (built binary)', () => {
  it('prints help with exit code 0', async () => {
    const { stdout } = await run(process.execPath, [binary, 'train', '--help']);
    expect(stdout).toMatch(/--data <spec>/);
    expect(stdout).toMatch(/--batch-size <n>/);
    // Commander wraps the descriptions to the terminal's width; compared with the wrapping undone.
    const help = stdout.replace(/\s+/g, ' ');
    expect(help).toContain('--lr-hold <fraction> with --schedule cosine: hold --lr for this first fraction of the run, in [0, 1), then decay over the rest (default: "0.5")');
    expect(help).toContain('--lr-tail <fraction> with --schedule cosine: stay at the floor for this last fraction of the run, in [0, 1) (below 1 − --lr-hold), so the certificates there judge a settled run (default: "0.2")');
    expect(help).toContain('--lr-floor <fraction> with --schedule cosine: end the decay at this fraction of --lr, in [0, 1] (default: "0.001")');
  });

  it('exits with code 2 and one stderr line on a bad flag', async () => {
    const failure = await run(process.execPath, [binary, 'train', '--batch-size', '-3']).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toBe("trientropy: --batch-size: expected an integer ≥ 1, got '-3' (see --help)\n");
  });

  it('exits with code 2 naming --lr-hold, what it expects and what it got, on a hold of the whole run', async () => {
    const failure = await run(process.execPath, [binary, 'train', '--lr-hold', '1.5']).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toBe("trientropy: --lr-hold: expected a number in [0, 1), got '1.5' (see --help)\n");
  });
});
