import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { generatePca } from '@trientropy/data';
import { TRAIN_DEFAULTS, type RawTrainFlags } from './train-options.js';

/** Runs a program as a child process (here: node on the built command); resolves with its stdout and stderr, rejects with its exit code. */
export const runProcess = promisify(execFile);

/** The built `trientropy` command, `apps/cli/bin/trientropy.js` (needs `nx run @trientropy/cli:build`). */
export const CLI_BINARY = join(__dirname, '..', 'bin', 'trientropy.js');

/** An in-memory stdout/stderr pair for running the CLI inside a test. */
export function memoryIo(): { io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WriteStream }; stdout: () => string; stderr: () => string } {
  const capture = () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    return { stream, text: () => text };
  };
  const out = capture();
  const err = capture();
  return { io: { stdout: out.stream, stderr: err.stream as unknown as NodeJS.WriteStream }, stdout: out.text, stderr: err.text };
}

/** Writes `rows` points of 4-D PCA data with one latent (seeded) as `dir/points.csv`, with a header line if asked. */
export function writePcaCsv(dir: string, rows: number, seed: number, header = false): string {
  const { data } = generatePca({ n: rows, dataDim: 4, latentDim: 1, seed });
  const lines = header ? ['a,b,c,d'] : [];
  for (let r = 0; r < data.rows; r++) lines.push(Array.from(data.values.subarray(r * 4, r * 4 + 4)).join(','));
  const path = join(dir, 'points.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** The `train` defaults as commander would collect them (strings, before parsing). */
export function rawTrainDefaults(): RawTrainFlags {
  return {
    data: TRAIN_DEFAULTS.data,
    model: TRAIN_DEFAULTS.model,
    option: [],
    latents: String(TRAIN_DEFAULTS.latents),
    backend: TRAIN_DEFAULTS.backend,
    beta: String(TRAIN_DEFAULTS.beta),
    klAnneal: String(TRAIN_DEFAULTS.klAnneal),
    optimalVariances: TRAIN_DEFAULTS.optimalVariances,
    emSweeps: String(TRAIN_DEFAULTS.emSweeps),
    certificateEvery: String(TRAIN_DEFAULTS.certificateEvery),
    decoderRefit: String(TRAIN_DEFAULTS.decoderRefit),
    decoderRefitUntil: String(TRAIN_DEFAULTS.decoderRefitUntil),
    earlyStop: String(TRAIN_DEFAULTS.earlyStop),
    checkpointEvery: String(TRAIN_DEFAULTS.checkpointEvery),
    evalSplit: String(TRAIN_DEFAULTS.evalSplit),
    shuffleBuffer: String(TRAIN_DEFAULTS.shuffleBuffer),
    evalRows: String(TRAIN_DEFAULTS.evalRows),
    standardize: TRAIN_DEFAULTS.standardize,
    epochs: String(TRAIN_DEFAULTS.epochs),
    batchSize: String(TRAIN_DEFAULTS.batchSize),
    samples: String(TRAIN_DEFAULTS.samples),
    lr: String(TRAIN_DEFAULTS.learningRate),
    schedule: TRAIN_DEFAULTS.schedule,
    lrHold: String(TRAIN_DEFAULTS.lrHold),
    lrTail: String(TRAIN_DEFAULTS.lrTail),
    polishSteps: String(TRAIN_DEFAULTS.polishSteps),
    lrFloor: String(TRAIN_DEFAULTS.lrFloor),
    seed: String(TRAIN_DEFAULTS.seed),
    evalSamples: String(TRAIN_DEFAULTS.evalSamples),
    finalEvalSamples: String(TRAIN_DEFAULTS.finalEvalSamples),
  };
}
