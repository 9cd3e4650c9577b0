import { Command, CommanderError, Option } from 'commander';
import { acceptedDatasetSpecs } from '@trientropy/data';
import { MODEL_KINDS, SCHEDULE_KINDS, TRAIN_DEFAULTS, type RawTrainFlags, parseTrainFlags } from './train-options.js';
import { type TrainIo, runTrain } from './run-train.js';
import { EXIT_CODES, UsageError } from './usage-error.js';

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
    .description('Train a VAE; prints ELBO, entropy sum and their relative gap per epoch and writes DIR/metrics.json.')
    .option('--data <spec>', `data set: ${acceptedDatasetSpecs().join(', ')}`, TRAIN_DEFAULTS.data)
    .option('--data-dir <dir>', 'directory with the files of named data sets')
    .addOption(new Option('--model <kind>', 'model variant').choices([...MODEL_KINDS]).default(TRAIN_DEFAULTS.model))
    .option('--latents <H>', 'latent dimension', String(TRAIN_DEFAULTS.latents))
    .option('--hidden <sizes>', 'hidden layer sizes of encoder and decoder, comma separated', TRAIN_DEFAULTS.hidden)
    .option('--epochs <n>', 'training epochs', String(TRAIN_DEFAULTS.epochs))
    .option('--batch-size <n>', 'minibatch size', String(TRAIN_DEFAULTS.batchSize))
    .option('--lr <rate>', "Adam's (initial) learning rate", String(TRAIN_DEFAULTS.learningRate))
    .addOption(new Option('--schedule <kind>', 'learning-rate schedule (cosine decays to 5% of --lr)').choices([...SCHEDULE_KINDS]).default(TRAIN_DEFAULTS.schedule))
    .option('--seed <n>', 'seed of data generation, initialisation, shuffling and sampling', String(TRAIN_DEFAULTS.seed))
    .option('--eval-samples <n>', 'Monte-Carlo samples per point in the per-epoch ELBO', String(TRAIN_DEFAULTS.evalSamples))
    .option('--final-eval-samples <n>', 'Monte-Carlo samples per point in the final ELBO', String(TRAIN_DEFAULTS.finalEvalSamples))
    .option('--out <dir>', 'output directory (default: runs/<timestamp>)')
    .action(async (flags: RawTrainFlags) => {
      await runTrain(parseTrainFlags(flags), io);
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
      return error.code === 'commander.executeSubCommandAsync' ? EXIT_CODES.failure : EXIT_CODES.usage;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`trientropy: ${error.message} (see --help)\n`);
      return EXIT_CODES.usage;
    }
    io.stderr.write(`trientropy: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_CODES.failure;
  }
}
