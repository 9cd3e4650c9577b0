import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { doctorReport, formatDoctorReport } from '@trientropy/backends';
import { DATASET_SPECS } from '@trientropy/data';
import { VAE_KINDS, VAE_KIND_DESCRIPTIONS, VAE_KIND_OPTIONS } from '@trientropy/models';
import { CHECKPOINT_FILE_NAME, readCheckpointFile } from '@trientropy/trainers/node';
import {
  BACKEND_CHOICES,
  OPTIMAL_VARIANCE_MODES,
  SCHEDULE_KINDS,
  TRAIN_DEFAULTS,
  type RawTrainFlags,
  type TrainSettings,
  parseTrainFlags,
} from './train-options.js';
import { type TrainIo, runTrain } from './run-train.js';
import { EXIT_CODES, UsageError } from './usage-error.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The text of `trientropy models`: every variant with its `--option` names. */
export function modelsHelp(): string {
  return VAE_KINDS.map((kind) => {
    const options = VAE_KIND_OPTIONS[kind]
      .filter((o) => !['dataDim', 'latentDim', 'seed', 'hiddenSizes'].includes(o.name))
      .map((o) => `    --option ${o.name}=<${o.choices ? o.choices.join('|') : o.type}>${o.default === undefined ? '' : ` (default ${String(o.default)})`}  ${o.description}`);
    return [`${kind}: ${VAE_KIND_DESCRIPTIONS[kind]}`, ...options].join('\n');
  }).join('\n');
}

function dataHelp(): string {
  return DATASET_SPECS.map((d) => `  ${d.spec.padEnd(34)} ${d.description}`).join('\n');
}

async function resumeRun(directory: string, io: TrainIo): Promise<void> {
  const checkpoint = await readCheckpointFile(join(directory, CHECKPOINT_FILE_NAME));
  const settings = checkpoint.metadata.settings as TrainSettings | undefined;
  if (typeof settings !== 'object' || settings === null || typeof settings.model !== 'string') {
    throw new Error(`--resume: ${join(directory, CHECKPOINT_FILE_NAME)} was not written by 'trientropy train' (no settings in its metadata)`);
  }
  await runTrain(settings, io, { checkpoint, directory });
}

/** Builds the `trientropy` command line. Errors surface as exceptions (exitOverride), so {@link runCli} decides the exit code. */
export function buildProgram(io: TrainIo): Command {
  const program = new Command('trientropy')
    .description('Train variational autoencoders on TensorFlow.js and watch the ELBO converge to a sum of three entropies.')
    .exitOverride()
    // Errors are printed by runCli as one line; help requested by mistake (no command) goes to stderr.
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text), outputError: () => {} })
    .showSuggestionAfterError(false);
  program
    .command('train')
    .description('Train a VAE; prints ELBO, entropy sum and their relative gap per epoch and writes DIR/metrics.json, checkpoints and the model.')
    .option('--data <spec>', 'data set or file (see below)', TRAIN_DEFAULTS.data)
    .option('--data-dir <dir>', 'directory with the files of named data sets')
    .option('--model <kind>', `model variant: ${VAE_KINDS.join(', ')} (see 'trientropy models')`, TRAIN_DEFAULTS.model)
    .option('--option <name=value>', "model option, repeatable (see 'trientropy models')", collect, [])
    .option('--latents <H>', 'latent dimension', String(TRAIN_DEFAULTS.latents))
    .option('--hidden <sizes>', `hidden layer sizes of MLP encoder and decoder, comma separated (default: ${TRAIN_DEFAULTS.hidden})`)
    .option('--epochs <n>', 'training epochs', String(TRAIN_DEFAULTS.epochs))
    .option('--batch-size <n>', 'minibatch size', String(TRAIN_DEFAULTS.batchSize))
    .option('--lr <rate>', "Adam's (initial) learning rate", String(TRAIN_DEFAULTS.learningRate))
    .addOption(new Option('--schedule <kind>', 'learning-rate schedule (cosine decays to 5% of --lr)').choices([...SCHEDULE_KINDS]).default(TRAIN_DEFAULTS.schedule))
    .option('--seed <n>', 'seed of data generation, initialisation, shuffling and sampling', String(TRAIN_DEFAULTS.seed))
    .addOption(new Option('--backend <name>', "tfjs backend; auto picks the fastest that loads (see 'trientropy doctor')").choices([...BACKEND_CHOICES]).default(TRAIN_DEFAULTS.backend))
    .option('--beta <b>', 'KL weight β of the objective E log p(x|z) − β·KL (the ELBO at 1)', String(TRAIN_DEFAULTS.beta))
    .option('--kl-anneal <steps>', 'raise β linearly from 0 over this many steps (0: off)', String(TRAIN_DEFAULTS.klAnneal))
    .addOption(
      new Option('--optimal-variances <when>', 'set σ² (α², VAE-3 scale) to their closed form after every epoch, every step, or never').choices([...OPTIMAL_VARIANCE_MODES]).default(TRAIN_DEFAULTS.optimalVariances),
    )
    .option('--no-normalize-latents', 'do not rescale the latents to m_h = 1 after every epoch (the step applies to vae-0, vae-1, vae-2 and linear)')
    .option('--early-stop <patience>', 'stop when the ELBO has not improved for this many epochs (0: off)', String(TRAIN_DEFAULTS.earlyStop))
    .option('--stop-on-convergence', 'stop once the stationarity certificate (gradients, raw gap, ELBO change) says converged for 2 epochs')
    .option('--clip-norm <n>', 'clip the global gradient norm')
    .option('--checkpoint-every <steps>', 'also checkpoint every this many steps (always at epoch ends)', String(TRAIN_DEFAULTS.checkpointEvery))
    .option('--resume <dir>', 'continue the run in <dir> from its checkpoint (its settings are used; other flags are ignored)')
    .option('--eval-split <fraction>', "hold out this fraction of the training rows for evaluation (0: the data set's own test part, if any)", String(TRAIN_DEFAULTS.evalSplit))
    .option('--stream', 'read a .csv/.npy --data file batch by batch from disk instead of loading it (files larger than memory)')
    .option('--shuffle-buffer <rows>', 'with --stream: rows of the seeded shuffle buffer (0: file order)', String(TRAIN_DEFAULTS.shuffleBuffer))
    .option('--eval-rows <n>', 'with --stream: rows kept in memory as the evaluation sample (the first rows of the file)', String(TRAIN_DEFAULTS.evalRows))
    .option('--eval-samples <n>', 'Monte-Carlo samples per point in the per-epoch ELBO', String(TRAIN_DEFAULTS.evalSamples))
    .option('--final-eval-samples <n>', 'Monte-Carlo samples per point in the final ELBO', String(TRAIN_DEFAULTS.finalEvalSamples))
    .option('--out <dir>', 'output directory (default: runs/<timestamp>)')
    .addHelpText('after', `\nData sets (--data):\n${dataHelp()}`)
    .action(async (flags: RawTrainFlags & { resume?: string }) => {
      if (flags.resume !== undefined) return resumeRun(flags.resume, io);
      await runTrain(parseTrainFlags(flags), io);
    });
  program
    .command('models')
    .description('List the model variants and their --option names.')
    .action(() => void io.stdout.write(`${modelsHelp()}\n`));
  program
    .command('doctor')
    .description('Show every tfjs backend, whether it loads on this machine, and why not.')
    .action(async () => {
      io.stdout.write(`${formatDoctorReport(await doctorReport())}\n`);
    });
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the process exit code. */
export async function runCli(argv: string[], io: TrainIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help asked for (--help) exits 0; help shown because no command was given exits 2.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version') {
        return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
      }
      io.stderr.write(`trientropy: ${error.message.replace(/^error: /, '').split('\n')[0]} (see --help)\n`);
      return EXIT_CODES.usage;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`trientropy: ${error.message} (see --help)\n`);
      return EXIT_CODES.usage;
    }
    io.stderr.write(`trientropy: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_CODES.failure;
  }
}
