import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import * as tf from '@tensorflow/tfjs-core';
import { seededRandomNormal } from '@trientropy/distributions';
import { selectBackend } from '@trientropy/backends';
import { makeDirectory } from '@trientropy/trainers/node';
import { addCsvOptions, outputModeOf } from './command-options.js';
import { CliOutput, type CliStreams } from './cli-output.js';
import { evaluationData, loadRun, toOriginalUnits } from './load-run.js';
import { lockRun } from './run-directory.js';
import { writeImageGrid } from './plots/image-grid.js';
import { imageShapeOf } from './plots/draw-run-plots.js';
import { BACKEND_CHOICES, type BackendChoice, type CsvFlagValues, integerFlag, parseCsvFlags, seedFlag } from './train-options.js';
import { UsageError } from './usage-error.js';
import { writeMatrixCsv } from './write-csv.js';

interface SampleFlags extends CsvFlagValues {
  n: string;
  out?: string;
  noise?: boolean;
  data?: string;
  dataDir?: string;
  seed: string;
  backend: BackendChoice;
}

/** `trientropy sample MODEL_FILE -n N`: draws from the generative model and reconstructs data points. */
export function registerSampleCommand(program: Command, streams: CliStreams): void {
  const command = program
    .command('sample')
    .argument('<model>', 'a model file (MODEL_FILE, model.trientropy.json) or its run directory')
    .description(
      'Draw N samples from a trained model (z ~ p(z), then the decoder mean, or x ~ p(x|z) with --noise) and reconstruct the first N data points; writes samples.csv and reconstructions.csv (and PNG grids for image data).',
    )
    .option('-n, --n <count>', 'number of samples and of reconstructions', '64')
    .option('--out <dir>', "where the files go (default: the model's directory)")
    .option('--noise', 'sample x ~ p(x|z) including the decoder noise, not just the decoder mean')
    .option('--data <spec>', "data to reconstruct (default: the run's held-out data)")
    .option('--data-dir <dir>', 'directory with the files of named data sets');
  addCsvOptions(command)
    .option('--seed <n>', 'seed of the draws', '0')
    .addOption(new Option('--backend <name>', 'tfjs backend').choices([...BACKEND_CHOICES]).default('auto'))
    .action(async (target: string, flags: SampleFlags, cmd: Command) => {
      const output = new CliOutput(streams, outputModeOf(cmd));
      const n = integerFlag('-n', flags.n, 1, 100_000);
      const seed = seedFlag('--seed', flags.seed);
      const csv = parseCsvFlags(flags);
      const run = loadRun(target, 'MODEL_FILE');
      if (run.unknownUnitsWarning !== undefined) output.warn(run.unknownUnitsWarning);
      const out = flags.out ?? run.directory ?? dirname(run.modelPath);
      if (existsSync(out) && !statSync(out).isDirectory()) throw new UsageError(`--out: ${out} is a file, expected a directory`);
      let lock: Awaited<ReturnType<typeof lockRun>> | undefined;
      try {
        // The files go into a run directory (by default): not while a trainer or another command writes it.
        lock = await lockRun(out, flags.out === undefined ? 'MODEL_FILE' : '--out');
        const hasData = flags.data !== undefined || run.metrics !== undefined;
        const source = hasData ? await evaluationData(run, { data: flags.data, dataDir: flags.dataDir, csv }, (t) => output.note(t)) : undefined;
        if (!hasData) output.note('no --data and no run directory: writing samples only (pass --data to also write reconstructions)');
        const backend = await selectBackend(flags.backend);
        output.note(backend.report);
        const { model } = run;
        await makeDirectory(out);
        const samples = tf.tidy(() => {
          if (flags.noise) return model.sample(n, seed);
          const z = tf.mul(seededRandomNormal([n, model.latentDim], seed), tf.exp(tf.mul(model.priorLogVariance(), 0.5)));
          return model.decode(z);
        });
        // Decoded values are in the model's units: a run trained on standardised data maps them back (mean + std · x).
        const sampleValues = toOriginalUnits((await samples.data()) as Float32Array, model.dataDim, run.standardizer);
        samples.dispose();
        const files: string[] = [join(out, 'samples.csv')];
        await writeMatrixCsv(files[0]!, sampleValues, n, model.dataDim);
        let reconstructed = 0;
        if (source !== undefined) {
          reconstructed = Math.min(n, source.data.rows);
          const x = tf.tensor2d(source.data.values.subarray(0, reconstructed * source.data.cols), [reconstructed, source.data.cols], 'float32');
          const recon = tf.tidy(() => model.reconstruct(x));
          const reconValues = toOriginalUnits((await recon.data()) as Float32Array, model.dataDim, run.standardizer);
          tf.dispose([x, recon]);
          files.push(join(out, 'reconstructions.csv'));
          await writeMatrixCsv(files[1]!, reconValues, reconstructed, model.dataDim);
          const shape = imageShapeOf(source.original, source.dataName);
          if (shape !== undefined) {
            const pairs = new Float32Array(2 * reconstructed * model.dataDim);
            pairs.set(source.original.values.subarray(0, reconstructed * model.dataDim));
            pairs.set(reconValues, reconstructed * model.dataDim);
            files.push(join(out, 'samples.png'), join(out, 'reconstructions.png'));
            await writeImageGrid(files[2]!, sampleValues, n, shape);
            await writeImageGrid(files[3]!, pairs, 2 * reconstructed, shape, Math.min(8, reconstructed));
          }
        }
        output.line(`${n} samples${flags.noise ? ' (with decoder noise)' : ' (decoder means)'}${reconstructed > 0 ? ` and ${reconstructed} reconstructions of ${source!.description}` : ''}: ${files.join(', ')}`, true);
        output.json({ model: model.kind, samples: n, reconstructions: reconstructed, noise: flags.noise === true, files });
      } finally {
        run.model.dispose();
        await lock?.release();
      }
    });
}
