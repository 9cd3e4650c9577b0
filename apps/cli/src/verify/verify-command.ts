import type { Command } from 'commander';
import { Option } from 'commander';
import { selectBackend } from '@trientropy/backends';
import { outputModeOf } from '../command-options.js';
import { CliOutput, type CliStreams } from '../cli-output.js';
import { type InterruptSignal, InterruptedError } from '../interrupt.js';
import { BACKEND_CHOICES, type BackendChoice, seedFlag } from '../train-options.js';
import { UsageError } from '../usage-error.js';
import { type VerifyRow, type VerifySize, verifyLinearPca, verifyStreaming, verifyVae1, verifyVae3 } from './verify-experiments.js';
import { formatVerifyTable } from './verify-table.js';
import { docsUrl } from '../docs-links.js';

const EXPERIMENTS = {
  linear: verifyLinearPca,
  vae1: verifyVae1,
  vae3: verifyVae3,
  streaming: verifyStreaming,
} as const;
type ExperimentName = keyof typeof EXPERIMENTS;

interface VerifyFlags {
  full?: boolean;
  quick?: boolean;
  only?: string;
  seed: string;
  dataDir?: string;
  backend: BackendChoice;
}

/** Thrown when a verification row fails: exit code 1 after the table is printed. */
export class VerificationFailedError extends Error {}

/** `trientropy verify`: the paper's verification experiments, each checked against an independent reference. */
export function registerVerifyCommand(program: Command, streams: CliStreams, interrupt?: InterruptSignal): void {
  program
    .command('verify')
    .description(
      `Reproduce the paper's verification experiments (arXiv 2010.14860, Fig. 1 and Sec. 4.3) at a size that runs in minutes: linear VAE vs the closed-form pPCA likelihood, VAE-1 on Fashion-MNIST, VAE-3 on PCA-ring, streaming model selection. Models are trained by gradients alone, so the gap is measured without closed-form steps (why: ${docsUrl('gapIdentity')}). Exit code 1 if any row fails.`,
    )
    .option('--full', "the paper's sizes (hours)")
    .option('--quick', 'tiny sizes that check the machinery in seconds; rows are not expected to pass')
    .option('--only <names>', `comma-separated subset of ${Object.keys(EXPERIMENTS).join(', ')}`)
    .option('--seed <n>', 'seed of data, initialisation and sampling', '0')
    .option('--data-dir <dir>', 'directory with the Fashion-MNIST files (default: Debian\'s dataset-fashion-mnist)')
    .addOption(new Option('--backend <name>', 'tfjs backend').choices([...BACKEND_CHOICES]).default('auto'))
    .action(async (flags: VerifyFlags, cmd: Command) => {
      const output = new CliOutput(streams, outputModeOf(cmd));
      if (flags.full && flags.quick) throw new UsageError('--quick: not combinable with --full');
      const seed = seedFlag('--seed', flags.seed);
      const names = (flags.only?.split(',').map((n) => n.trim()) ?? Object.keys(EXPERIMENTS)) as ExperimentName[];
      // Own keys only: 'constructor' or 'toString' are not experiments (`in` would find them on Object.prototype).
      for (const name of names) if (!Object.hasOwn(EXPERIMENTS, name)) throw new UsageError(`--only: expected names among ${Object.keys(EXPERIMENTS).join(', ')}, got '${name}'`);
      const size: VerifySize = flags.full ? 'full' : flags.quick ? 'quick' : 'default';
      const backend = await selectBackend(flags.backend);
      output.note(backend.report);
      const started = Date.now();
      const rows: VerifyRow[] = [];
      for (const name of names) {
        if (interrupt?.requested) throw new InterruptedError(`interrupted after ${rows.length} of ${names.length} experiments`);
        const progress = (text: string) => output.note(text);
        rows.push(name === 'vae1' ? await verifyVae1(size, seed, progress, flags.dataDir) : await EXPERIMENTS[name](size, seed, progress));
      }
      const seconds = (Date.now() - started) / 1000;
      output.line(formatVerifyTable(rows), true);
      for (const row of rows) if (!row.passed) output.line(`FAILED ${row.experiment}: ${row.failure}`, true);
      output.line(`${rows.filter((r) => r.passed).length}/${rows.length} passed in ${seconds.toFixed(0)} s (${size} size, backend ${backend.name})`, true);
      output.json({ size, backend: backend.name, seed, seconds, rows: rows.map((r) => ({ ...r, reference: { ...r.reference, value: Number.isNaN(r.reference.value) ? null : r.reference.value } })) });
      if (rows.some((r) => !r.passed)) throw new VerificationFailedError(`verify: ${rows.filter((r) => !r.passed).length} of ${rows.length} rows failed`);
    });
}
