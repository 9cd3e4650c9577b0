import { Command, CommanderError, Option } from 'commander';
import { doctorReport, formatDoctorReport } from '@trientropy/backends';
import { DATASET_SPECS } from '@trientropy/data';
import { VAE_KINDS, VAE_KIND_DESCRIPTIONS, VAE_KIND_OPTIONS } from '@trientropy/models';
import { CliOutput, type CliStreams } from './cli-output.js';
import { addCsvOptions, explicitFlags, outputModeOf } from './command-options.js';
import { cliVersion, docsUrl } from './docs-links.js';
import { registerEvalCommand } from './eval-command.js';
import { type InterruptSignal, InterruptedError } from './interrupt.js';
import { registerPlotCommand } from './plot-command.js';
import { resumeRun } from './resume-run.js';
import { registerSampleCommand } from './sample-command.js';
import { type TrainConfig, configAsFlags, readTrainConfig } from './train-config.js';
import { AUTO_CERTIFICATES_PER_RUN, AUTO_EPOCH_STEPS, AUTO_MAX_EPOCHS, BACKEND_CHOICES, OPTIMAL_VARIANCE_MODES, SCHEDULE_KINDS, STANDARDIZE_CHOICES, TRAIN_DEFAULTS, type RawTrainFlags, parseTrainFlags } from './train-options.js';
import { runTrain } from './run-train.js';
import { EXIT_CODES, UsageError } from './usage-error.js';
import { registerVerifyCommand } from './verify/verify-command.js';

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

type TrainFlags = RawTrainFlags & { resume?: string; config?: string; force?: boolean };

/** Builds the `trientropy` command line. Errors surface as exceptions (exitOverride), so {@link runCli} decides the exit code. */
export function buildProgram(streams: CliStreams, interrupt?: InterruptSignal): Command {
  const program = new Command('trientropy')
    .description('Train variational autoencoders on TensorFlow.js and watch the ELBO converge to a sum of three entropies (arXiv 2010.14860).')
    .version(cliVersion(), '-V, --version', 'print the version')
    .option('--json', 'print the result as one JSON document on stdout (notes still go to stderr)')
    .option('-q, --quiet', 'print no notes or progress, only results and errors')
    .exitOverride()
    // Errors are printed by runCli as one line; help requested by mistake (no command) goes to stderr.
    .configureOutput({ writeOut: (text) => streams.stdout.write(text), writeErr: (text) => streams.stderr.write(text), outputError: () => {} })
    .showSuggestionAfterError(false)
    .addHelpText(
      'after',
      `\nExit codes: 0 success, 1 failure (bad data, non-finite loss, a failed check, a run directory in use, a file that cannot be written), 2 bad command line, 130 interrupted (Ctrl-C).\nThe maths: arXiv 2010.14860 (Damm et al., AISTATS 2023); the theorem and when it holds: ${docsUrl('theorem')}\nGetting started: ${docsUrl('commandLine')}`,
    );
  const train = program
    .command('train')
    .description('Train a VAE; prints ELBO, entropy sum and their gaps (relative to (D + H)/2) per epoch and writes DIR/metrics.json, metrics.jsonl, config.json, checkpoints, the model and plots.')
    .option('--config <file>', 'read settings from a JSON file (keys: the flags in camelCase, e.g. batchSize); flags given on the command line win')
    .option('--data <spec>', 'data set or file (see below)', TRAIN_DEFAULTS.data)
    .option('--data-dir <dir>', 'directory with the files of named data sets');
  addCsvOptions(train)
    .option('--model <kind>', `model variant: ${VAE_KINDS.join(', ')} (see 'trientropy models')`, TRAIN_DEFAULTS.model)
    .option('--option <name=value>', "model option, repeatable (see 'trientropy models')", collect, [])
    .option('--latents <H>', 'latent dimension', String(TRAIN_DEFAULTS.latents))
    .option('--hidden <sizes>', `hidden layer sizes of MLP encoder and decoder, comma separated (default: ${TRAIN_DEFAULTS.hidden})`)
    .option('--epochs <n>', `training epochs; auto: enough for ${AUTO_EPOCH_STEPS.toLocaleString('en-US')} Adam steps (at most ${AUTO_MAX_EPOCHS} epochs), 200 for --model linear (with --resume: extend the run to this many)`, String(TRAIN_DEFAULTS.epochs))
    .option('--batch-size <n>', 'minibatch size', String(TRAIN_DEFAULTS.batchSize))
    .option('--samples <n>', 'draws of z ~ q(z|x) per data point in each training step (Monte-Carlo gradient of the ELBO)', String(TRAIN_DEFAULTS.samples))
    .option('--lr <rate>', "Adam's (initial) learning rate", String(TRAIN_DEFAULTS.learningRate))
    .addOption(new Option('--schedule <kind>', 'learning-rate schedule (cosine: held at --lr for --lr-hold of the run, then decays to --lr-floor of --lr and stays there for --lr-tail)').choices([...SCHEDULE_KINDS]).default(TRAIN_DEFAULTS.schedule))
    .option('--lr-hold <fraction>', 'with --schedule cosine: hold --lr for this first fraction of the run, in [0, 1), then decay over the rest', String(TRAIN_DEFAULTS.lrHold))
    .option('--lr-tail <fraction>', 'with --schedule cosine: stay at the floor for this last fraction of the run, in [0, 1) (below 1 − --lr-hold), so the certificates there judge a settled run', String(TRAIN_DEFAULTS.lrTail))
    .option('--lr-floor <fraction>', "with --schedule cosine: end the decay at this fraction of --lr, in [0, 1]", String(TRAIN_DEFAULTS.lrFloor))
    .option('--seed <n>', 'seed of data generation, initialisation, shuffling and sampling', String(TRAIN_DEFAULTS.seed))
    .addOption(new Option('--backend <name>', "tfjs backend; auto picks the fastest that loads (see 'trientropy doctor')").choices([...BACKEND_CHOICES]).default(TRAIN_DEFAULTS.backend))
    .option('--beta <b>', 'KL weight β of the objective E log p(x|z) − β·KL (the ELBO at 1)', String(TRAIN_DEFAULTS.beta))
    .option('--kl-anneal <steps>', 'raise β linearly from 0 over this many steps (0: off; auto: a fifth of the run, at most 800)', String(TRAIN_DEFAULTS.klAnneal))
    .addOption(
      new Option('--optimal-variances <when>', 'set σ² (α², VAE-3 scale) to their closed form after every epoch, every step, or never').choices([...OPTIMAL_VARIANCE_MODES]).default(TRAIN_DEFAULTS.optimalVariances),
    )
    .option('--em-sweeps <n>', 'with --model linear: end every epoch with up to n closed-form EM sweeps (exact decoder/σ² and encoder updates; 0: Adam only)', String(TRAIN_DEFAULTS.emSweeps))
    .option('--decoder-refit <k>', 'with a scalar-σ² Gaussian decoder (vae-0, vae-1, vae-2): every k epochs, refit the decoder output layer by least squares on its last hidden features at z ~ q(z|x) (an exact coordinate-ascent step of the ELBO; 0: off)', String(TRAIN_DEFAULTS.decoderRefit))
    .option('--polish-steps <n>', 'after the last epoch: at most n steps of joint conjugate-gradient ascent on the full-data ELBO with fixed draws of its own (the certificate judges the result on independent ones); 0: off; ignored by --model linear (its EM sweeps are exact)', String(TRAIN_DEFAULTS.polishSteps))
    .option('--decoder-refit-until <fraction>', 'refit only in this first fraction of the epochs; gradients alone finish the run', String(TRAIN_DEFAULTS.decoderRefitUntil))
    .option('--no-normalize-latents', 'do not rescale the latents to m_h = 1 after every epoch (the step applies to vae-0, vae-1, vae-2 and linear)')
    .option('--early-stop <patience>', 'stop when the ELBO has not improved for this many epochs (0: off)', String(TRAIN_DEFAULTS.earlyStop))
    .addOption(
      new Option(
        '--standardize [mode]',
        "train on standardised data, (x − mean)/std of the training rows: 'shared' divides every column by one scale (the model family is unchanged), 'per-column' (a bare --standardize) each by its own std; 'auto' is shared for vae-1/2/3 and off otherwise; ELBO, entropy sum and entropies are reported in the original data's units",
      )
        .choices([...STANDARDIZE_CHOICES])
        .preset('per-column')
        .default(TRAIN_DEFAULTS.standardize),
    )
    .option('--certificate-every <k>', `certify stationarity (gradients, raw gap, ELBO change) every k epochs and at the last; auto: about ${AUTO_CERTIFICATES_PER_RUN} per run; 1 with --stop-on-convergence`, String(TRAIN_DEFAULTS.certificateEvery))
    .option('--stop-on-convergence', 'stop once the stationarity certificate (gradients, raw gap, ELBO change) says converged for 2 epochs')
    .option('--clip-norm <n>', 'clip the global gradient norm')
    .option('--checkpoint-every <steps>', 'also checkpoint every this many steps (always at epoch ends)', String(TRAIN_DEFAULTS.checkpointEvery))
    .option('--resume <dir>', 'continue the run in <dir> from its checkpoint with its settings (only --epochs may change them)')
    .option('--force', 'replace a run that already exists in --out')
    .option('--eval-split <fraction>', "hold out this fraction of the training rows for evaluation (0: the data set's own test part, if any)", String(TRAIN_DEFAULTS.evalSplit))
    .option('--stream', 'read a .csv/.npy --data file batch by batch from disk instead of loading it (files larger than memory)')
    .option('--shuffle-buffer <rows>', 'with --stream: rows of the seeded shuffle buffer (0: file order)', String(TRAIN_DEFAULTS.shuffleBuffer))
    .option('--eval-rows <n>', 'with --stream: rows kept in memory as the evaluation sample (the first rows of the file)', String(TRAIN_DEFAULTS.evalRows))
    .option('--eval-samples <n>', 'Monte-Carlo samples per point in the per-epoch ELBO', String(TRAIN_DEFAULTS.evalSamples))
    .option('--final-eval-samples <n>', 'Monte-Carlo samples per point in the final ELBO', String(TRAIN_DEFAULTS.finalEvalSamples))
    .option('--out <dir>', 'output directory (default: runs/<timestamp>)')
    .addHelpText(
      'after',
      `\nData sets (--data):\n${dataHelp()}\n\nThe table's gaps are |ELBO − entropy sum| relative to (D + H)/2 nats (the certificate's scale): 'raw gap' before the\nepoch's closed-form steps, 'after' after them, small by construction (${docsUrl('gapIdentity')});\nconvergence is judged by the raw gap and the stationarity certificate (${docsUrl('certificate')}).`,
    )
    .action(async (flags: TrainFlags, command: Command) => {
      const output = new CliOutput(streams, outputModeOf(command));
      const explicit = explicitFlags(command);
      if (flags.resume !== undefined) {
        const extra = [...explicit].filter((key) => !['resume', 'epochs', 'json', 'quiet'].includes(key));
        if (extra.length > 0) throw new UsageError(`--${extra[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: not allowed with --resume (the run's own settings are used; only --epochs may extend it)`);
        return void (await resumeRun(flags.resume, explicit.has('epochs') ? flags.epochs : undefined, { output, interrupt }));
      }
      let merged: RawTrainFlags = flags;
      if (flags.config !== undefined) {
        const config: TrainConfig = readTrainConfig(flags.config);
        // Config values replace defaults; flags typed on the command line win over the file.
        const fromConfig = Object.fromEntries(Object.entries(configAsFlags(config)).filter(([key]) => !explicit.has(key)));
        merged = { ...flags, ...fromConfig };
      }
      await runTrain(parseTrainFlags(merged), { output, interrupt, force: flags.force === true });
    });
  registerEvalCommand(program, streams);
  registerSampleCommand(program, streams);
  registerVerifyCommand(program, streams, interrupt);
  registerPlotCommand(program, streams);
  program
    .command('models')
    .description('List the model variants and their --option names.')
    .action((_flags: unknown, command: Command) => {
      const output = new CliOutput(streams, outputModeOf(command));
      output.line(modelsHelp(), true);
      output.json(VAE_KINDS.map((kind) => ({ kind, description: VAE_KIND_DESCRIPTIONS[kind], options: VAE_KIND_OPTIONS[kind] })));
    });
  program
    .command('doctor')
    .description('Show every tfjs backend, whether it loads on this machine, and why not.')
    .action(async (_flags: unknown, command: Command) => {
      const output = new CliOutput(streams, outputModeOf(command));
      const report = await doctorReport();
      output.line(formatDoctorReport(report), true);
      output.json(report);
    });
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the process exit code. */
export async function runCli(argv: string[], streams: CliStreams, interrupt?: InterruptSignal): Promise<number> {
  const program = buildProgram(streams, interrupt);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help or version asked for exits 0; help shown because no command was given exits 2.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version') {
        return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
      }
      streams.stderr.write(`trientropy: ${error.message.replace(/^error: /, '').split('\n')[0]} (see --help)\n`);
      return EXIT_CODES.usage;
    }
    if (error instanceof UsageError) {
      streams.stderr.write(`trientropy: ${error.message} (see --help)\n`);
      return EXIT_CODES.usage;
    }
    if (error instanceof InterruptedError) {
      streams.stderr.write(`trientropy: ${error.message}\n`);
      return EXIT_CODES.interrupted;
    }
    streams.stderr.write(`trientropy: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}\n`);
    return EXIT_CODES.failure;
  }
}
