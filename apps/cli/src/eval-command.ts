import type { Command } from 'commander';
import { Option } from 'commander';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@trientropy/backends';
import { type DataMatrix, dataMatrix } from '@trientropy/data';
import { type GainVerdict, type StationarityCertificate, detectPosteriorCollapse, formatRelativeGain, entropySumEstimate, iwaeBound, monteCarloElbo, standardizationLogJacobian, stationarityCertificate } from '@trientropy/trainers';
import { addCsvOptions, outputModeOf } from './command-options.js';
import { docsUrl } from './docs-links.js';
import { CliOutput, type CliStreams } from './cli-output.js';
import { type LoadedRun, evaluationData, loadRun } from './load-run.js';
import { createProgressReporter } from './progress-reporter.js';
import { BACKEND_CHOICES, type BackendChoice, type CsvFlagValues, integerFlag, parseCsvFlags, seedFlag } from './train-options.js';
import { deriveSeed } from '@trientropy/distributions';

interface EvalFlags extends CsvFlagValues {
  data?: string;
  dataDir?: string;
  samples: string;
  iwaeK: string;
  certificateSamples: string;
  points?: string;
  seed: string;
  backend: BackendChoice;
  training?: boolean;
}

const fmt = (value: number, se: number) => `${value.toFixed(4)} ± ${se.toFixed(4)}`;

/** ✗ after a gain above its tolerance, ? after one whose Monte-Carlo interval straddles it. */
const verdictMark = (verdict: GainVerdict): string => (verdict === 'above' ? ' ✗' : verdict === 'undecided' ? ' ?' : '');

/** An estimate of a log-density per point moved by the log-Jacobian `shift` into the original data's units. */
function shifted<T extends { value: number }>(estimate: T, shift: number): T {
  return shift === 0 ? estimate : { ...estimate, value: estimate.value + shift };
}

/** `trientropy eval RUN_DIR|MODEL_FILE`: held-out estimates of a trained model (paper Sec. 5: ELBO estimation, collapse). */
export function registerEvalCommand(program: Command, streams: CliStreams): void {
  const command = program
    .command('eval')
    .argument('<target>', 'a run directory (RUN_DIR) or a model file (MODEL_FILE, model.trientropy.json)')
    .description(
      `Evaluate a trained model: Monte-Carlo ELBO ± standard error, the sampling-free entropy-sum estimate with its trust check, the stationarity certificate (per parameter group: how much a step along the gradient still raises the ELBO; on the run's training rows, ${docsUrl('certificate')}), the IWAE bound, per-latent encoder entropies and collapse verdicts. Uses the run's held-out data unless --data is given.`,
    )
    .option('--data <spec>', "data to evaluate on (default: the run's held-out data, else its training data)")
    .option('--data-dir <dir>', 'directory with the files of named data sets');
  addCsvOptions(command)
    .option('--samples <n>', 'Monte-Carlo samples of z per point for the ELBO', '10')
    .option('--iwae-k <k>', 'importance samples per point for the IWAE bound', '50')
    .option('--certificate-samples <n>', 'Monte-Carlo samples of z per point in each sample set of the stationarity certificate (more shrink its standard errors and decide an undecided verdict; its cost grows in proportion)', '2')
    .option('--points <n>', 'evaluate on the first n points only')
    .option('--training', "evaluate on the run's training rows instead of its held-out rows")
    .option('--seed <n>', 'seed of the Monte-Carlo samples', '0')
    .addOption(new Option('--backend <name>', 'tfjs backend').choices([...BACKEND_CHOICES]).default('auto'))
    .action(async (target: string, flags: EvalFlags, cmd: Command) => {
      const output = new CliOutput(streams, outputModeOf(cmd));
      const samples = integerFlag('--samples', flags.samples, 1);
      const k = integerFlag('--iwae-k', flags.iwaeK, 1);
      const certificateSamples = integerFlag('--certificate-samples', flags.certificateSamples, 1);
      const limit = flags.points === undefined ? undefined : integerFlag('--points', flags.points, 1);
      const seed = seedFlag('--seed', flags.seed);
      const csv = parseCsvFlags(flags);
      const run = loadRun(target, 'RUN_DIR|MODEL_FILE');
      if (run.unknownUnitsWarning !== undefined) output.warn(run.unknownUnitsWarning);
      try {
        const source = await evaluationData(run, { data: flags.data, dataDir: flags.dataDir, csv }, (t) => output.note(t), flags.training ? 'training' : 'held-out');
        const backend = await selectBackend(flags.backend);
        output.note(backend.report);
        const rows = Math.min(source.data.rows, limit ?? Infinity);
        const data = rows === source.data.rows ? source.data : dataMatrix(source.data.values.slice(0, rows * source.data.cols), rows, source.data.cols);
        const { model } = run;
        const progress = createProgressReporter(streams.stderr, output.verbose);
        progress.phase(`evaluating ${model.kind} on ${source.description.replace(/\(\d+ points\)/, `(${rows} points)`)}: Monte-Carlo ELBO (${samples} samples/point)…`);
        // A run trained on standardised data: the model sees the rows in its units (evaluationData applied the run's
        // standardisation); every log-density is reported in the original units by adding the log-Jacobian.
        const shift = run.standardizer === undefined ? 0 : standardizationLogJacobian(run.standardizer);
        const elbo = shifted(await monteCarloElbo(model, data, { seed, samples }), shift);
        // Stationarity is a property of the training objective: certified on the run's training rows, with the
        // gap the run measured before its last closed-form steps (after them the gap is 0 at any weights).
        const certifyOn = await certificateData(run, data, source.description, (t) => output.note(t));
        const certificateOptions = { data: certifyOn.data, seed: deriveSeed(seed, 3), samples: certificateSamples, ...(certifyOn.rawGapNats === undefined ? {} : { rawGapNats: certifyOn.rawGapNats }) };
        progress.phase(`entropy-sum estimate and stationarity certificate (${certifyOn.description})…`);
        const estimate = await entropySumEstimate(model, data, { seed: deriveSeed(seed, 1), certificate: certificateOptions });
        const entropySum = { ...shifted(estimate, shift), entropies: { ...estimate.entropies, decoder: estimate.entropies.decoder - shift } };
        // The estimate certifies only when the gap identity already allows trust; the certificate is reported always.
        const { data: certificateRows, ...rest } = certificateOptions;
        const certificate: StationarityCertificate = estimate.trust.certificate ?? (await stationarityCertificate(model, certificateRows, rest));
        progress.phase(`IWAE bound (k = ${k})…`);
        const iwae = shifted(await iwaeBound(model, data, { k, seed: deriveSeed(seed, 2) }), shift);
        const x = tf.tensor2d(data.values, [data.rows, data.cols], 'float32');
        const perLatent = tf.tidy(() => model.encoderEntropiesPerLatent(x));
        const entropies = Array.from(await perLatent.data());
        tf.dispose([x, perLatent]);
        const collapse = detectPosteriorCollapse(entropies);
        const { trust } = entropySum;
        const result = {
          target,
          model: model.kind,
          data: source.description,
          points: rows,
          ...(run.standardizer === undefined ? {} : { standardization: { logJacobian: shift, note: "in the original data's units; the certificate's ELBO and σ² are in the model's (standardised) units" } }),
          ...(run.unknownUnitsWarning === undefined ? {} : { warnings: [run.unknownUnitsWarning] }),
          elbo: { ...elbo },
          entropySum: { value: entropySum.value, standardError: entropySum.standardError, entropies: entropySum.entropies, trust: { ...trust, certificate: undefined } },
          certificate: { ...certificate, certifiedOn: certifyOn.description },
          iwae: { ...iwae },
          encoderEntropies: entropies,
          posteriorCollapse: collapse,
        };
        output.line(`${model.kind} (D=${model.dataDim}, H=${model.latentDim}) on ${result.data}, nats per data point${run.standardizer === undefined ? '' : ` in the original units (the run's standardisation applied, log-Jacobian ${shift.toFixed(5)} added)`}:`, true);
        output.line(`  ELBO (Monte Carlo, ${samples} samples/point)   ${fmt(elbo.value, elbo.standardError)}`, true);
        output.line(`  entropy sum (sampling-free)           ${fmt(entropySum.value, entropySum.standardError)}   ${trust.trustworthy ? 'trustworthy' : `not trustworthy: ${trust.reason ?? ''}`}`, true);
        if (trust.varianceRatio !== undefined) output.line(`    R/(Dσ²) ${trust.varianceRatio.toFixed(4)}, m_h ${trust.latentMomentRatios.map((m) => m.toFixed(3)).join(' ')}, predicted gap ${trust.predictedGap?.toExponential(2)}`, true);
        const scale = Math.max(Math.abs(certificate.elbo), 1);
        output.line(`  stationarity certificate on ${certifyOn.description} (${certificate.gradientMethod} gradients): ${certificate.converged ? 'converged' : certificate.undecided ? 'undecided (Monte-Carlo noise; more samples decide)' : 'NOT converged'}`, true);
        output.line(`    gain of a gradient step, relative to |ELBO| (+ 2 s.e. ≤ ${certificate.tolerances.gain}): ${certificate.groups.map((g) => `${g.name} ${formatRelativeGain({ gain: g.gain, standardError: g.gainStandardError }, scale)}${verdictMark(g.verdict)}`).join(', ')}`, true);
        output.line(`    raw gap ${certificate.rawGap.relativeGap.toExponential(2)} of (D + H)/2 = ${certificate.rawGap.nats.toExponential(2)} nats (${certificate.rawGap.measured.replace(/-/g, ' ')}; ≤ ${certificate.tolerances.rawGap})`, true);
        const escape = certificate.latentEscape;
        const probe = certificate.ascent;
        output.line(probe === undefined ? '    multi-step ascent probe: off' : `    gain of ${probe.stepsTaken} joint ascent steps (probe of ${probe.steps}), relative to |ELBO| (+ 2 s.e. ≤ ${certificate.tolerances.ascent}): ${formatRelativeGain(probe, scale)}${verdictMark(probe.verdict)}`, true);
        if (escape !== undefined) output.line(`    collapsed latents ${escape.collapsedLatents.map((h) => `z${h + 1}`).join(' ')}: top whitened residual variance ${escape.residualEigenvalueRatio.toPrecision(3)} (noise model 1), escape gain ${escape.relativeGain.toExponential(2)} of |ELBO| (≤ ${certificate.tolerances.latentEscape})`, true);
        else output.line(`    collapsed-latent saddle test: ${certificate.saddleTest.note}`, true);
        for (const reason of certificate.reasons) output.line(`    not converged: ${reason}`, true);
        output.line(`  IWAE bound (k = ${k})                   ${fmt(iwae.value, iwae.standardError)}`, true);
        output.line(`  encoder entropy per latent: ${entropies.map((h, i) => `z${i + 1} ${h.toFixed(3)}${collapse.collapsed.includes(i) ? ' (collapsed)' : ''}`).join(', ')}`, true);
        output.line(`  latents: ${collapse.active.length} active, ${collapse.collapsed.length} collapsed (H_h ≥ ${collapse.threshold} nat; prior ${(0.5 * Math.log(2 * Math.PI * Math.E)).toFixed(3)})`, true);
        output.json(result);
      } finally {
        run.model.dispose();
      }
    });
}

/** The rows to certify stationarity on and the run's last raw gap (measured before its closed-form steps). */
interface CertificateRows {
  data: DataMatrix;
  description: string;
  /** ELBO − entropy sum before the last epoch's closed-form steps (nats per point); absent in older run directories. */
  rawGapNats?: number;
}

/**
 * The run's training rows (a model file in a run directory), with the raw gap of its last epoch; for a model
 * file alone, the evaluated rows (its training data is unknown), said in a note.
 */
async function certificateData(run: LoadedRun, evaluated: DataMatrix, evaluatedDescription: string, note: (text: string) => void): Promise<CertificateRows> {
  if (run.metrics === undefined) {
    note(`stationarity certificate: no run directory, so it is computed on the evaluated rows (${evaluatedDescription}), not on the model's training data`);
    return { data: evaluated, description: evaluatedDescription };
  }
  const training = await evaluationData(run, { csv: {} }, note, 'training');
  const last = run.metrics.epochs.at(-1);
  return { data: training.data, description: training.description, ...(typeof last?.rawGapNats === 'number' ? { rawGapNats: last.rawGapNats } : {}) };
}
