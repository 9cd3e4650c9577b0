import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@trientropy/backends';
import { type DataMatrix, type Standardizer, applyStandardizer, fitStandardizer, trainTestSplit } from '@trientropy/data';
import { BernoulliVae, ScalarGaussianVae, serializeVae } from '@trientropy/models';
import {
  type EpochRecord,
  type LearningRateSchedule,
  type TrainCallbacks,
  type TrainingCheckpoint,
  NonFiniteLossError,
  constantSchedule,
  convergenceStop,
  cosineSchedule,
  detectPosteriorCollapse,
  earlyStopping,
  evaluateVae,
  evaluationInOriginalUnits,
  linearKlAnnealing,
  monteCarloElbo,
  standardizationLogJacobian,
  trainVae,
  trainVaeOnStream,
} from '@trientropy/trainers';
import { type RunDirectoryLock, checkpointFileSink, writeFileAtomic } from '@trientropy/trainers/node';
import { buildModel, modelConfig } from './build-model.js';
import type { CliOutput } from './cli-output.js';
import { docsUrl } from './docs-links.js';
import { epochGapScale, epochTableHeader, formatEpochRow } from './epoch-table.js';
import { type InterruptSignal, InterruptedError } from './interrupt.js';
import { loadDataSource } from './load-data.js';
import { type EpochMetrics, type EvaluationMetrics, type MetricsFile, writeMetricsFile, writeMetricsLines } from './metrics-file.js';
import { type RunPlotInputs, drawRunPlots } from './plots/draw-run-plots.js';
import { createProgressReporter } from './progress-reporter.js';
import { RUN_FILES, checkOutDirectory, clearPreviousRun, defaultRunDirectory, lockRun } from './run-directory.js';
import { openStreamedData } from './stream-data.js';
import { settingsAsConfig } from './train-config.js';
import { withRecordedSchedules } from './recorded-schedules.js';
import { TRAIN_DEFAULTS, type TrainSettings, standardizeModeOf } from './train-options.js';
import { UsageError } from './usage-error.js';
import { deriveSeed } from '@trientropy/distributions';

/** What `train` needs besides its settings: the output writer and the Ctrl-C signal. */
export interface TrainContext {
  output: CliOutput;
  interrupt?: InterruptSignal;
  /** `--force`: replace a run already in `--out`. */
  force?: boolean;
}

/** A checkpoint to continue, the run directory it lives in, and that directory's lock (held by the caller). */
export interface ResumeFrom {
  checkpoint: TrainingCheckpoint;
  directory: string;
  lock: RunDirectoryLock;
}

/** The reason `trainVae` reports when Ctrl-C stopped it. */
const INTERRUPTED = 'interrupted (Ctrl-C)';

function toTensor(data: DataMatrix): tf.Tensor2D {
  return tf.tensor2d(data.values, [data.rows, data.cols], 'float32');
}

async function evaluateOn(model: Parameters<typeof evaluateVae>[0], data: DataMatrix, seed: number, samples: number): Promise<EvaluationMetrics> {
  const x = toTensor(data);
  try {
    return { ...(await evaluateVae(model, x, { seed, samples })), evalSamples: samples };
  } finally {
    x.dispose();
  }
}

/** Refuses data a Bernoulli decoder cannot model (values outside [0, 1]), naming the range found. */
function checkBernoulliRange(data: DataMatrix[], spec: string): void {
  let min = Infinity;
  let max = -Infinity;
  for (const part of data) for (const v of part.values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min < 0 || max > 1) {
    throw new UsageError(
      `--model bernoulli: ${spec} has values in [${min.toPrecision(4)}, ${max.toPrecision(4)}], but a Bernoulli decoder models values in [0, 1]; rescale the data to [0, 1] or choose a Gaussian model (vae-1)`,
    );
  }
}

const VARIANCE_UPDATE = { epoch: 'closed-form-per-epoch', step: 'closed-form-per-step', off: 'gradient' } as const;

/** The epochs a resumed run has already recorded: metrics.json's rows up to the checkpoint's last complete epoch. */
function previousEpochs(directory: string, checkpoint: TrainingCheckpoint): EpochMetrics[] {
  const path = join(directory, RUN_FILES.metrics);
  const done = checkpoint.records.length;
  if (existsSync(path)) {
    try {
      const stored = (JSON.parse(readFileSync(path, 'utf8')) as MetricsFile).epochs;
      if (Array.isArray(stored) && stored.length >= done) return stored.slice(0, done);
    } catch {
      // Fall back to the checkpoint's own records below.
    }
  }
  return checkpoint.records.map((r) => epochMetrics(r, { beta: Number.NaN, learningRate: Number.NaN, heldOutElbo: null, seconds: Number.NaN }));
}

/**
 * Runs `trientropy train`: checks and locks `--out` (one trainer per run directory), loads the data, starts the
 * backend, trains with checkpoints in the output directory, prints one table row per epoch and keeps
 * metrics.json and metrics.jsonl up to date; at the end evaluates on the training and held-out data, saves the
 * model and draws the plots. Every file is written atomically. With `resume`, continues the run that wrote that
 * checkpoint (its directory already locked by the caller). Returns the metrics; a failed run leaves metrics.json
 * with `status: "failed"` and rethrows, an interrupted one `status: "interrupted"` (InterruptedError).
 */
export async function runTrain(settings: TrainSettings, context: TrainContext, resume?: ResumeFrom): Promise<MetricsFile> {
  if (resume) return trainInLockedDirectory(settings, context, resume.directory, resume);
  const out = settings.out ?? defaultRunDirectory();
  checkOutDirectory(out);
  const lock = await lockRun(out, '--out');
  try {
    clearPreviousRun(out, context.force === true);
    return await trainInLockedDirectory(settings, context, out);
  } finally {
    await lock.release();
  }
}

async function trainInLockedDirectory(given: TrainSettings, context: TrainContext, out: string, resume?: ResumeFrom): Promise<MetricsFile> {
  const { output, interrupt } = context;
  modelConfig(given);
  const streamed = given.stream ? await openStreamedData(given) : undefined;
  const dataset = streamed
    ? { name: given.data, data: streamed.evaluation, description: streamed.description, test: undefined }
    : await loadDataSource({ data: given.data, dataDir: given.dataDir, seed: given.seed, csv: given.csv }, (text) => output.note(text));
  // With --stream, `train` is the in-memory evaluation sample; the training batches come from the stream.
  let train = dataset.data;
  let heldOut = dataset.test;
  if (given.evalSplit > 0) {
    const split = trainTestSplit(dataset.data, { testFraction: given.evalSplit, seed: given.seed });
    train = split.train;
    heldOut = split.test;
  }
  // The schedules are fixed once, over the run's length at its first start, and recorded in its checkpoints and
  // metrics.json (a resumed run brings them along; resume-run.ts fixes them for checkpoints that predate them).
  const batchesPerEpoch = Math.ceil((streamed?.rows ?? train.rows) / given.batchSize);
  const settings = withRecordedSchedules(given, batchesPerEpoch);
  if (settings.model === 'bernoulli') checkBernoulliRange(heldOut ? [train, heldOut] : [train], settings.data);
  const standardizeMode = standardizeModeOf(settings);
  if (settings.model === 'bernoulli' && standardizeMode !== 'off') throw new UsageError('--standardize: a Bernoulli decoder models values in [0, 1], which standardised data leaves; choose a Gaussian model (vae-1)');
  // --standardize: the model sees (x − mean)/std of the training rows; every log-density is reported in the original
  // units by adding the log-Jacobian −Σ_d log std_d (a density of x' times Π 1/std_d is a density of x).
  let standardizer: Standardizer | undefined;
  const originalTrain = train;
  if (standardizeMode !== 'off') {
    standardizer = fitStandardizer(train, { scale: standardizeMode });
    train = applyStandardizer(train, standardizer);
    if (heldOut !== undefined) heldOut = applyStandardizer(heldOut, standardizer);
  }
  const logJacobian = standardizer === undefined ? 0 : standardizationLogJacobian(standardizer);
  const backend = await selectBackend(settings.backend);
  output.note(backend.report);
  output.note(`data: ${dataset.description}${settings.evalSplit > 0 ? `; ${heldOut!.rows} rows held out (--eval-split ${settings.evalSplit})` : ''}`);
  if (standardizer !== undefined) {
    const how = standardizeMode === 'shared' ? `centred per column and divided by one shared scale ${standardizer.std[0]!.toPrecision(4)} (the root mean square of the columns' std)` : "standardised per column with the training rows' mean and std";
    output.note(`${how}; ELBO, entropy sum and entropies are reported in the original units (log-Jacobian ${logJacobian.toFixed(5)} nats per point added; σ² stays in standardised units)`);
  }
  const model = buildModel(settings, train.cols);
  output.note(`model: ${model.kind}, D=${model.dataDim}, H=${model.latentDim}; writing ${out}/`);
  if (model instanceof BernoulliVae) output.note(`note: the entropy-sum theorem is proved for Gaussian decoders (paper Sec. 3, ${docsUrl('entropies')}); for this Bernoulli decoder the entropy sum is shown for comparison only`);
  if (resume) output.note(`resuming from ${join(out, RUN_FILES.checkpoint)}: epoch ${resume.checkpoint.progress.epoch}, step ${resume.checkpoint.progress.step}`);

  const metrics: MetricsFile = {
    schemaVersion: 1,
    model: model.kind,
    backend: backend.name,
    data: dataset.name,
    seed: settings.seed,
    settings: { ...settings, out },
    status: 'running',
    stopReason: null,
    epochs: resume ? previousEpochs(out, resume.checkpoint) : [],
    final: null,
    heldOut: null,
    posteriorCollapse: null,
    ...(standardizer === undefined ? {} : { standardization: { scale: standardizeMode === 'shared' ? 'shared' : 'per-column', mean: Array.from(standardizer.mean), std: Array.from(standardizer.std), logJacobian } }),
  };
  const metricsPath = join(out, RUN_FILES.metrics);
  const gapScale = epochGapScale(model.dataDim, model.latentDim);
  const progress = createProgressReporter(output.streams.stderr, output.verbose);
  const learningRate: LearningRateSchedule = settings.schedule === 'cosine' ? cosineSchedule(settings.learningRate, settings.cosineFinalFraction, settings.lrHold, settings.lrTail) : constantSchedule(settings.learningRate);
  const totalSteps = settings.epochs * batchesPerEpoch;
  const warmup = settings.klAnnealSteps;
  const beta = warmup > 0 ? linearKlAnnealing(warmup, 0, settings.beta) : settings.beta;
  const heldOutTensor = heldOut === undefined ? undefined : toTensor(heldOut);
  let lastStep = resume?.checkpoint.progress.step ?? 0;
  const started = Date.now();
  const display: TrainCallbacks = {
    onEpochStart: (epoch) => progress.startEpoch(epoch, settings.epochs, batchesPerEpoch),
    onBatchEnd: ({ batch, step }, control) => {
      lastStep = step;
      progress.batchDone(batch);
      if (interrupt?.requested) control.stop(INTERRUPTED);
    },
    onEpochEnd: async (record: EpochRecord, control) => {
      if (record.partial !== undefined) {
        progress.endEpoch();
        const ran = `${record.partial.batchesDone} of ${batchesPerEpoch} batches`;
        // Without a stop, only a streamed file that yields fewer batches than its count before training does this.
        if (control.stopReason === undefined) throw new Error(`--data: ${settings.data} gave ${ran} in epoch ${record.epoch}; did the file change while training?`);
        // Ctrl-C mid-epoch: the checkpoint holds the position before this early close, and --resume finishes the
        // epoch, so the row of the uninterrupted run comes then; this state is not one that run passes through.
        // A --stream run has no checkpoint, and its table and metrics likewise hold whole epochs only.
        output.note(`epoch ${record.epoch} stopped after ${ran} (step ${lastStep}); not recorded, ${streamed ? 'and a --stream run cannot be resumed' : '--resume finishes it'}`);
        return;
      }
      const heldOutElbo = heldOutTensor === undefined ? null : (await monteCarloElbo(model, heldOutTensor, { seed: deriveSeed(settings.seed, 3 + record.epoch), samples: settings.evalSamples })).value + logJacobian;
      progress.endEpoch();
      const at = { step: Math.max(lastStep, 1), totalSteps };
      const row = epochMetrics(record, {
        beta: typeof beta === 'number' ? beta : beta(at),
        learningRate: learningRate(at),
        heldOutElbo,
        seconds: (Date.now() - started) / 1000,
      }, logJacobian);
      const p = row.polish;
      if (p !== undefined) output.note(`polish before the last certificate: ${p.stepsTaken} of at most ${p.steps} conjugate-gradient steps on ${p.rows} rows × ${p.samples} fixed draws raised its ELBO from ${p.startElbo.toFixed(5)} to ${p.endElbo.toFixed(5)} in ${p.seconds.toFixed(1)} s`);
      output.line(formatEpochRow(row, gapScale));
      metrics.epochs.push(row);
      await writeMetricsLines(out, metrics.epochs);
      await writeMetricsFile(out, metrics);
    },
  };
  const callbacks: TrainCallbacks[] = [display];
  if (settings.earlyStop > 0) callbacks.push(earlyStopping({ patience: settings.earlyStop }));
  if (settings.stopOnConvergence) callbacks.push(convergenceStop());
  try {
    // Inside the try: a failure from here on (a full disk included) is recorded as `failed`, never left `running`.
    await writeMetricsFile(out, metrics);
    await writeMetricsLines(out, metrics.epochs);
    await writeFileAtomic(join(out, RUN_FILES.config), `${JSON.stringify(settingsAsConfig(settings), null, 2)}\n`);
    output.line(epochTableHeader());
    for (const row of metrics.epochs) output.line(formatEpochRow(row, gapScale));
    const common = {
      epochs: settings.epochs,
      samples: settings.samples ?? 1,
      learningRate,
      seed: settings.seed,
      beta,
      gradientClipNorm: settings.clipNorm,
      varianceUpdate: VARIANCE_UPDATE[settings.optimalVariances],
      normalizeLatents: settings.normalizeLatents && model instanceof ScalarGaussianVae,
      linearCoordinateAscent: model.kind === 'linear' ? (settings.emSweeps ?? 0) : 0,
      // Scalar-σ² Gaussian decoders only; the linear VAE has its exact EM sweeps instead.
      decoderOutputRefit: (settings.decoderRefit ?? 0) > 0 && model instanceof ScalarGaussianVae && model.kind !== 'linear' ? { everyEpochs: settings.decoderRefit!, untilFraction: settings.decoderRefitUntil ?? TRAIN_DEFAULTS.decoderRefitUntil } : false,
      // The linear VAE's EM sweeps are exact; a fixed-draw Monte-Carlo polish would only move it by its noise.
      ...((settings.polishSteps ?? 0) > 0 && model.kind !== 'linear' ? { finalPolish: { steps: settings.polishSteps! } } : {}),
      evaluation: { samples: settings.evalSamples },
      // The certificate of the end state on (up to 10 000 of) the training rows: the gap alone proves nothing (gap
      // identity derived from arXiv 2010.14860). A smaller subset would certify the subset's ELBO, whose optimum is
      // not the data's. Every --certificate-every epochs and always the last; every epoch for convergenceStop.
      certificate: true,
      certificateEvery: settings.stopOnConvergence ? 1 : (settings.certificateEvery ?? 1),
      callbacks,
    };
    const result = streamed
      ? await trainVaeOnStream(model, streamed.source, { ...common, evaluationData: train, batchesPerEpoch })
      : await trainVae(model, train, {
          ...common,
          batchSize: settings.batchSize,
          checkpoint: { everySteps: settings.checkpointEvery > 0 ? settings.checkpointEvery : undefined, write: checkpointFileSink(out), metadata: { settings } },
          resumeFrom: resume?.checkpoint,
        });
    metrics.stopReason = result.stopReason ?? null;
    if (result.stopReason === INTERRUPTED) {
      metrics.status = 'interrupted';
      metrics.trainingSeconds = (Date.now() - started) / 1000;
      await writeMetricsFile(out, metrics);
      await drawPlotsQuietly(out, output);
      const partial = result.final.partial;
      const where = partial === undefined ? `after epoch ${result.final.epoch}` : `in epoch ${result.final.epoch} after ${partial.batchesDone} of ${batchesPerEpoch} batches`;
      const next = streamed ? 'runs with --stream write no checkpoint, so it cannot be resumed' : `checkpointed there; 'trientropy train --resume ${out}' continues it`;
      throw new InterruptedError(`interrupted ${where} (step ${result.steps}); ${next}`);
    }
    // The per-epoch evaluations use few samples for speed; the final numbers use more.
    progress.phase(`evaluating the trained model on ${train.rows} training points (${settings.finalEvalSamples} samples/point)…`);
    const inOriginalUnits = (evaluation: EvaluationMetrics): EvaluationMetrics => (standardizer === undefined ? evaluation : evaluationInOriginalUnits(evaluation, standardizer));
    const final = inOriginalUnits(await evaluateOn(model, train, deriveSeed(settings.seed, 1), settings.finalEvalSamples));
    metrics.final = final;
    if (heldOut !== undefined) progress.phase(`evaluating on ${heldOut.rows} held-out points…`);
    metrics.heldOut = heldOut === undefined ? null : inOriginalUnits(await evaluateOn(model, heldOut, deriveSeed(settings.seed, 2), settings.finalEvalSamples));
    metrics.posteriorCollapse = detectPosteriorCollapse(final.encoderEntropiesPerLatent);
    metrics.status = 'completed';
    metrics.trainingSeconds = (Date.now() - started) / 1000;
    // The file carries the standardisation (checksummed), so eval and sample work in the data's units from it alone.
    await writeFileAtomic(join(out, RUN_FILES.model), serializeVae(model, standardizer === undefined ? {} : { standardization: standardizer }));
    await writeMetricsFile(out, metrics);
    progress.phase('drawing plots…');
    const plots = await drawPlotsQuietly(out, output, { model, data: train, labels: dataset.labels, dataName: dataset.name, ...(standardizer === undefined ? {} : { standardized: { standardizer, original: originalTrain } }) });
    const collapse = metrics.posteriorCollapse;
    const lines = [
      ...(result.stopReason ? [`stopped: ${result.stopReason}`] : []),
      `final (${settings.finalEvalSamples} samples/point): ELBO ${final.elbo.toFixed(5)}, entropy sum ${final.entropySum.toFixed(5)}, ` +
        `gap/|ELBO| ${final.relativeGap.toExponential(2)}; H[p(z)] ${final.entropies.prior.toFixed(4)}, mean H[q(z|x)] ` +
        `${final.entropies.encoder.toFixed(4)}, H[p(x|z)] ${final.entropies.decoder.toFixed(4)}`,
      ...(metrics.heldOut ? [`held out (${heldOut!.rows} points): ELBO ${metrics.heldOut.elbo.toFixed(5)}, entropy sum ${metrics.heldOut.entropySum.toFixed(5)}`] : []),
      `latents: ${collapse.active.length} active, ${collapse.collapsed.length} collapsed (H_h ≥ ${collapse.threshold} nat)`,
      `trained ${result.epochs.length} epochs in ${metrics.trainingSeconds.toFixed(1)} s; metrics: ${metricsPath}; model: ${join(out, RUN_FILES.model)}${plots.length > 0 ? `; plots: ${join(out, RUN_FILES.plotsDir)}/` : ''}`,
    ];
    for (const line of lines) output.line(line, true);
    output.json({ runDirectory: out, ...metrics, plots });
    return metrics;
  } catch (error) {
    progress.close();
    if (error instanceof InterruptedError) throw error;
    metrics.status = 'failed';
    metrics.error = error instanceof Error ? error.message : String(error);
    // The original error is the one to report; a second one (the same full disk) gets a warning, also with --quiet:
    // metrics.json then still says `running`, which a reader must not take for a live run.
    await writeMetricsFile(out, metrics).catch((second: unknown) => output.warn(`could not record the failure in metrics.json: ${second instanceof Error ? second.message : String(second)}`));
    if (error instanceof NonFiniteLossError) output.note(`metrics up to the last good epoch are in ${metricsPath}; the last good checkpoint is ${join(out, RUN_FILES.checkpoint)}`);
    throw error;
  } finally {
    heldOutTensor?.dispose();
    model.dispose();
  }
}

async function drawPlotsQuietly(out: string, output: CliOutput, extras?: RunPlotInputs): Promise<string[]> {
  try {
    return await drawRunPlots(out, extras);
  } catch (error) {
    output.note(`plots: not drawn (${error instanceof Error ? error.message : String(error)})`);
    return [];
  }
}

/**
 * One epoch's row. `logJacobian` (--standardize) moves the ELBO, the entropy sum and the reconstruction term into
 * the original data's units; the gaps are relative to the ELBO in those units.
 */
function epochMetrics(record: EpochRecord, extra: Pick<EpochMetrics, 'beta' | 'learningRate' | 'heldOutElbo' | 'seconds'>, logJacobian = 0): EpochMetrics {
  const c = record.certificate;
  const rescale = (relativeGap: number, elbo: number): number => (logJacobian === 0 ? relativeGap : (relativeGap * Math.abs(elbo)) / Math.abs(elbo + logJacobian));
  return {
    epoch: record.epoch,
    elbo: record.elbo + logJacobian,
    entropySum: record.entropySum + logJacobian,
    relativeGap: rescale(record.relativeGap, record.elbo),
    // Records of checkpoints written before the raw gap existed have none; their gap is then all there is.
    rawRelativeGap: record.rawGap === undefined ? rescale(record.relativeGap, record.elbo) : rescale(record.rawGap.relativeGap, record.rawGap.elbo),
    rawGapNats: record.rawGap === undefined ? record.elbo - record.entropySum : record.rawGap.elbo - record.rawGap.entropySum,
    closedFormSteps: record.closedFormSteps ?? [],
    sigma2: record.decoderVariance ?? null,
    certificate:
      c === undefined
        ? null
        : {
            converged: c.converged,
            undecided: c.undecided,
            elbo: c.elbo + logJacobian,
            gradientMethod: c.gradientMethod,
            samples: c.samples,
            points: c.points,
            maxRelativeGain: c.maxRelativeGain,
            maxRelativeGainStandardError: (c.groups.find((g) => g.name === c.worstGroup)?.gainStandardError ?? 0) / Math.max(Math.abs(c.elbo), 1),
            worstGroup: c.worstGroup,
            ascentRelativeGain: c.ascent?.relativeGain ?? null,
            ascentRelativeStandardError: c.ascent === undefined ? null : c.ascent.standardError / Math.max(Math.abs(c.elbo), 1),
            latentEscapeRelativeGain: c.latentEscape?.relativeGain ?? null,
            elboRelativeChange: c.elboChange?.relativeChange ?? null,
            saddleTest: c.saddleTest.note,
            reasons: c.reasons,
          },
    reconstruction: record.expectedLogLikelihood + logJacobian,
    kl: record.kl,
    encoderEntropies: record.encoderEntropiesPerLatent,
    ...(record.polish === undefined ? {} : { polish: { ...record.polish, startElbo: record.polish.startElbo + logJacobian, endElbo: record.polish.endElbo + logJacobian } }),
    ...extra,
  };
}
