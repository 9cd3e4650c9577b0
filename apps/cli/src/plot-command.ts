import type { Command } from 'commander';
import { Option } from 'commander';
import { selectBackend } from '@trientropy/backends';
import { outputModeOf } from './command-options.js';
import { CliOutput, type CliStreams } from './cli-output.js';
import { evaluationData, loadRun } from './load-run.js';
import { drawRunPlots } from './plots/draw-run-plots.js';
import { isRunDirectory, lockRun } from './run-directory.js';
import { BACKEND_CHOICES, type BackendChoice } from './train-options.js';
import { UsageError } from './usage-error.js';

/** `trientropy plot RUN_DIR`: redraws a run's plots from its metrics.json (and model, for latent space and images). */
export function registerPlotCommand(program: Command, streams: CliStreams): void {
  program
    .command('plot')
    .argument('<run-dir>', 'a run directory written by train')
    .description("Redraw a run's plots into RUN_DIR/plots/: training curves with the gap relative to the final epoch's |ELBO| below, encoder entropies per latent, the latent space (H = 2) and image grids.")
    .addOption(new Option('--backend <name>', 'tfjs backend').choices([...BACKEND_CHOICES]).default('auto'))
    .action(async (directory: string, flags: { backend: BackendChoice }, cmd: Command) => {
      const output = new CliOutput(streams, outputModeOf(cmd));
      if (!isRunDirectory(directory)) throw new UsageError(`RUN_DIR: ${directory} is not a run directory (no metrics.json)`);
      // plot writes RUN_DIR/plots: not while a trainer (or another plot/sample) writes the directory.
      const lock = await lockRun(directory, 'RUN_DIR');
      let files: string[];
  try {
    files = await drawAll(directory, flags.backend, output);
  } finally {
    await lock.release();
  }
  output.line(`plots: ${files.join(', ')}`, true);
  output.json({ runDirectory: directory, files });
});
}

/** Draws every plot the run allows: all of them with its model, the curves only for an unfinished run. */
async function drawAll(directory: string, backend: BackendChoice, output: CliOutput): Promise<string[]> {
  let files: string[];
  try {
    const run = loadRun(directory, 'RUN_DIR');
    try {
      const source = await evaluationData(run, { csv: {} }, (t) => output.note(t), 'training');
      await selectBackend(backend);
      files = await drawRunPlots(directory, { model: run.model, data: source.data, labels: source.labels, dataName: source.dataName, ...(run.standardizer === undefined ? {} : { standardized: { standardizer: run.standardizer, original: source.original } }) });
    } finally {
      run.model.dispose();
    }
  } catch (error) {
    if (error instanceof UsageError && /has no model/.test(error.message)) {
      // An unfinished run: only the curves can be drawn.
      output.note(`${error.message.replace(/^RUN_DIR: /, '')}; drawing the curves only`);
      files = await drawRunPlots(directory);
    } else throw error;
  }
  return files;
}
