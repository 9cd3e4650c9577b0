import type { Command } from 'commander';
import { Option } from 'commander';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@trientropy/backends';
import { dataMatrix } from '@trientropy/data';
import { BernoulliVae } from '@trientropy/models';
import { detectPosteriorCollapse, entropySumEstimate, iwaeBound, monteCarloElbo } from '@trientropy/trainers';
import { addCsvOptions, outputModeOf } from './command-options.js';
import { CliOutput, type CliStreams } from './cli-output.js';
import { evaluationData, loadRun } from './load-run.js';
import { createProgressReporter } from './progress-reporter.js';
import { BACKEND_CHOICES, type BackendChoice, type CsvFlagValues, parseCsvFlags } from './train-options.js';
import { UsageError } from './usage-error.js';

interface EvalFlags extends CsvFlagValues {
  data?: string;
  dataDir?: string;
  samples: string;
  iwaeK: string;
  points?: string;
  seed: string;
  backend: BackendChoice;
  training?: boolean;
}

function positive(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < 1) throw new UsageError(`${flag}: expected an integer ≥ 1, got '${text}'`);
  return value;
}

const fmt = (value: number, se: number) => `${value.toFixed(4)} ± ${se.toFixed(4)}`;

/** `trientropy eval RUN_DIR|MODEL_FILE`: held-out estimates of a trained model (paper Sec. 5: ELBO estimation, collapse). */
export function registerEvalCommand(program: Command, streams: CliStreams): void {
  const command = program
    .command('eval')
    .argument('<target>', 'a run directory (RUN_DIR) or a model file (MODEL_FILE, model.trientropy.json)')
    .description(
      'Evaluate a trained model: Monte-Carlo ELBO ± standard error, the sampling-free entropy-sum estimate with its trust check, the IWAE bound, per-latent encoder entropies and collapse verdicts. Uses the run\'s held-out data unless --data is given.',
    )
    .option('--data <spec>', "data to evaluate on (default: the run's held-out data, else its training data)")
    .option('--data-dir <dir>', 'directory with the files of named data sets');
  addCsvOptions(command)
    .option('--samples <n>', 'Monte-Carlo samples of z per point for the ELBO', '10')
    .option('--iwae-k <k>', 'importance samples per point for the IWAE bound', '50')
    .option('--points <n>', 'evaluate on the first n points only')
    .option('--training', "evaluate on the run's training rows instead of its held-out rows")
    .option('--seed <n>', 'seed of the Monte-Carlo samples', '0')
    .addOption(new Option('--backend <name>', 'tfjs backend').choices([...BACKEND_CHOICES]).default('auto'))
    .action(async (target: string, flags: EvalFlags, cmd: Command) => {
      const output = new CliOutput(streams, outputModeOf(cmd));
      const samples = positive('--samples', flags.samples);
      const k = positive('--iwae-k', flags.iwaeK);
      const limit = flags.points === undefined ? undefined : positive('--points', flags.points);
      const seed = Number(flags.seed);
      if (!/^\d+$/.test(flags.seed.trim())) throw new UsageError(`--seed: expected an integer ≥ 0, got '${flags.seed}'`);
      const csv = parseCsvFlags(flags);
      const run = loadRun(target, 'RUN_DIR|MODEL_FILE');
      try {
        const source = await evaluationData(run, { data: flags.data, dataDir: flags.dataDir, csv }, (t) => output.note(t), flags.training ? 'training' : 'held-out');
        const backend = await selectBackend(flags.backend);
        output.note(backend.report);
        const rows = Math.min(source.data.rows, limit ?? Infinity);
        const data = rows === source.data.rows ? source.data : dataMatrix(source.data.values.slice(0, rows * source.data.cols), rows, source.data.cols);
        const { model } = run;
        const progress = createProgressReporter(streams.stderr, output.verbose);
        progress.phase(`evaluating ${model.kind} on ${source.description.replace(/\(\d+ points\)/, `(${rows} points)`)}: Monte-Carlo ELBO (${samples} samples/point)…`);
        const elbo = await monteCarloElbo(model, data, { seed, samples });
        progress.phase('entropy-sum estimate…');
        const entropySum = await entropySumEstimate(model, data, { seed: seed + 1 });
        progress.phase(`IWAE bound (k = ${k})…`);
        const iwae = await iwaeBound(model, data, { k, seed: seed + 2 });
        const x = tf.tensor2d(data.values, [data.rows, data.cols], 'float32');
        const perLatent = tf.tidy(() => model.encoderEntropiesPerLatent(x));
        const entropies = Array.from(await perLatent.data());
        tf.dispose([x, perLatent]);
        const collapse = detectPosteriorCollapse(entropies);
        const bernoulli = model instanceof BernoulliVae;
        const trust = bernoulli
          ? { ...entropySum.trust, theoremApplies: false, trustworthy: false, reason: 'the entropy-sum theorem is proved for Gaussian decoders (paper Sec. 3), not for this Bernoulli decoder' }
          : entropySum.trust;
        const result = {
          target,
          model: model.kind,
          data: source.description,
          points: rows,
          elbo: { ...elbo },
          entropySum: { value: entropySum.value, standardError: entropySum.standardError, entropies: entropySum.entropies, trust },
          iwae: { ...iwae },
          encoderEntropies: entropies,
          posteriorCollapse: collapse,
        };
        output.line(`${model.kind} (D=${model.dataDim}, H=${model.latentDim}) on ${result.data}, nats per data point:`, true);
        output.line(`  ELBO (Monte Carlo, ${samples} samples/point)   ${fmt(elbo.value, elbo.standardError)}`, true);
        output.line(`  entropy sum (sampling-free)           ${fmt(entropySum.value, entropySum.standardError)}   ${trust.trustworthy ? 'trustworthy' : `not trustworthy: ${trust.reason ?? ''}`}`, true);
        if (trust.varianceRatio !== undefined) output.line(`    R/(Dσ²) ${trust.varianceRatio.toFixed(4)}, m_h ${trust.latentMomentRatios.map((m) => m.toFixed(3)).join(' ')}, predicted gap ${trust.predictedGap?.toExponential(2)}`, true);
        output.line(`  IWAE bound (k = ${k})                   ${fmt(iwae.value, iwae.standardError)}`, true);
        output.line(`  encoder entropy per latent: ${entropies.map((h, i) => `z${i + 1} ${h.toFixed(3)}${collapse.collapsed.includes(i) ? ' (collapsed)' : ''}`).join(', ')}`, true);
        output.line(`  latents: ${collapse.active.length} active, ${collapse.collapsed.length} collapsed (H_h ≥ ${collapse.threshold} nat; prior ${(0.5 * Math.log(2 * Math.PI * Math.E)).toFixed(3)})`, true);
        output.json(result);
      } finally {
        run.model.dispose();
      }
    });
}
