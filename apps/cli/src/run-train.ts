import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '@trientropy/backends';
import { type DataMatrix, loadDataset, trainTestSplit } from '@trientropy/data';
import { ScalarGaussianVae, serializeVae } from '@trientropy/models';
import {
  type EpochRecord,
  type TrainCallbacks,
  type TrainingCheckpoint,
  NonFiniteLossError,
  constantSchedule,
  convergenceStop,
  cosineSchedule,
  detectPosteriorCollapse,
  earlyStopping,
  evaluateVae,
  linearKlAnnealing,
  trainVae,
  trainVaeOnStream,
} from '@trientropy/trainers';
import { CHECKPOINT_FILE_NAME, checkpointFileSink } from '@trientropy/trainers/node';
import { buildModel, modelConfig } from './build-model.js';
import { epochTableHeader, formatEpochRow } from './epoch-table.js';
import { type EvaluationMetrics, type MetricsFile, writeMetricsFile } from './metrics-file.js';
import { createProgressReporter } from './progress-reporter.js';
import { openStreamedData } from './stream-data.js';
import type { TrainSettings } from './train-options.js';

/** Where `train` writes: stdout for the table, stderr for progress and notes. */
export interface TrainIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
}

/** The model file `train` writes next to metrics.json (format of `serializeVae`). */
export const MODEL_FILE_NAME = 'model.trientropy.json';

/** `runs/<UTC timestamp>` under the working directory, the default `--out`. */
export function defaultRunDirectory(now = new Date()): string {
  return `runs/${now.toISOString().replace(/[:.]/g, '-')}`;
}

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

/** Training rows the per-epoch stationarity certificate uses (a fixed, evenly strided subset). */
const CERTIFICATE_ROWS = 2000;

const VARIANCE_UPDATE = { epoch: 'closed-form-per-epoch', step: 'closed-form-per-step', off: 'gradient' } as const;

/**
 * Runs `trientropy train`: starts the backend, loads the data, trains with checkpoints in the output directory,
 * prints one table row per epoch and keeps metrics.json up to date; at the end evaluates on the training and
 * held-out data and saves the model. With `resume`, continues the run that wrote that checkpoint (its settings
 * win). Returns the path of metrics.json; a failed run leaves it with `status: "failed"` and rethrows.
 */
export async function runTrain(settings: TrainSettings, io: TrainIo, resume?: { checkpoint: TrainingCheckpoint; directory: string }): Promise<string> {
  const out = resume?.directory ?? settings.out ?? defaultRunDirectory();
  modelConfig(settings);
  const backend = await selectBackend(settings.backend);
  io.stderr.write(`${backend.report}\n`);
  const streamed = settings.stream ? await openStreamedData(settings) : undefined;
  const dataset = streamed ? { name: settings.data, data: streamed.evaluation, description: streamed.description, test: undefined } : await loadDataset(settings.data, { dataDir: settings.dataDir, seed: settings.seed });
  // With --stream, `train` is the in-memory evaluation sample; the training batches come from the stream.
  let train = dataset.data;
  let heldOut = dataset.test;
  if (settings.evalSplit > 0) {
    const split = trainTestSplit(dataset.data, { testFraction: settings.evalSplit, seed: settings.seed });
    train = split.train;
    heldOut = split.test;
  }
  io.stderr.write(`data: ${dataset.description}${settings.evalSplit > 0 ? `; ${heldOut!.rows} rows held out (--eval-split ${settings.evalSplit})` : ''}\n`);
  const model = buildModel(settings, train.cols);
  io.stderr.write(`model: ${model.kind}, D=${model.dataDim}, H=${model.latentDim}; writing ${out}/\n`);
  if (resume) io.stderr.write(`resuming from ${join(out, CHECKPOINT_FILE_NAME)}: epoch ${resume.checkpoint.progress.epoch}, step ${resume.checkpoint.progress.step}\n`);

  const metrics: MetricsFile = {
    schemaVersion: 1,
    model: model.kind,
    backend: backend.name,
    data: dataset.name,
    seed: settings.seed,
    settings: { ...settings, out },
    status: 'running',
    stopReason: null,
    epochs: (resume?.checkpoint.records ?? []).map((r) => epochRow(r)),
    final: null,
    heldOut: null,
    posteriorCollapse: null,
  };
  const metricsPath = await writeMetricsFile(out, metrics);
  const progress = createProgressReporter(io.stderr);
  const learningRate = settings.schedule === 'cosine' ? cosineSchedule(settings.learningRate, 0.05) : constantSchedule(settings.learningRate);
  const batchesPerEpoch = Math.ceil((streamed?.rows ?? train.rows) / settings.batchSize);
  const display: TrainCallbacks = {
    onEpochStart: (epoch) => progress.startEpoch(epoch, settings.epochs, batchesPerEpoch),
    onBatchEnd: ({ batch }) => progress.batchDone(batch),
    onEpochEnd: async (record: EpochRecord) => {
      progress.endEpoch();
      const row = epochRow(record);
      io.stdout.write(`${formatEpochRow(row)}\n`);
      metrics.epochs.push(row);
      await writeMetricsFile(out, metrics);
    },
  };
  const callbacks: TrainCallbacks[] = [display];
  if (settings.earlyStop > 0) callbacks.push(earlyStopping({ patience: settings.earlyStop }));
  if (settings.stopOnConvergence) callbacks.push(convergenceStop());
  const started = Date.now();
  io.stdout.write(`${epochTableHeader()}\n`);
  for (const row of metrics.epochs) io.stdout.write(`${formatEpochRow(row)}\n`);
  try {
    const common = {
      epochs: settings.epochs,
      learningRate,
      seed: settings.seed,
      beta: settings.klAnneal > 0 ? linearKlAnnealing(settings.klAnneal, 0, settings.beta) : settings.beta,
      gradientClipNorm: settings.clipNorm,
      varianceUpdate: VARIANCE_UPDATE[settings.optimalVariances],
      normalizeLatents: settings.normalizeLatents && model instanceof ScalarGaussianVae,
      evaluation: { samples: settings.evalSamples },
      // The certificate of every epoch's end state, on a fixed subset of the training rows (gap identity derived from arXiv 2010.14860: the gap alone proves nothing).
      certificate: { maxRows: CERTIFICATE_ROWS },
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
    // The per-epoch evaluations use few samples for speed; the final numbers use more.
    const final = await evaluateOn(model, train, settings.seed + 1, settings.finalEvalSamples);
    metrics.final = final;
    metrics.heldOut = heldOut === undefined ? null : await evaluateOn(model, heldOut, settings.seed + 2, settings.finalEvalSamples);
    metrics.posteriorCollapse = detectPosteriorCollapse(final.encoderEntropiesPerLatent);
    metrics.status = 'completed';
    metrics.trainingSeconds = (Date.now() - started) / 1000;
    await writeFile(join(out, MODEL_FILE_NAME), serializeVae(model));
    await writeMetricsFile(out, metrics);
    const collapse = metrics.posteriorCollapse;
    io.stdout.write(
      `${result.stopReason ? `stopped: ${result.stopReason}\n` : ''}` +
        `final (${settings.finalEvalSamples} samples/point): ELBO ${final.elbo.toFixed(5)}, entropy sum ${final.entropySum.toFixed(5)}, ` +
        `relative gap ${final.relativeGap.toExponential(2)}; H[p(z)] ${final.entropies.prior.toFixed(4)}, mean H[q(z|x)] ` +
        `${final.entropies.encoder.toFixed(4)}, H[p(x|z)] ${final.entropies.decoder.toFixed(4)}\n` +
        (metrics.heldOut ? `held out (${heldOut!.rows} points): ELBO ${metrics.heldOut.elbo.toFixed(5)}, entropy sum ${metrics.heldOut.entropySum.toFixed(5)}\n` : '') +
        `latents: ${collapse.active.length} active, ${collapse.collapsed.length} collapsed (H_h ≥ ${collapse.threshold} nat)\n` +
        `trained ${result.epochs.length} epochs in ${metrics.trainingSeconds.toFixed(1)} s; metrics: ${metricsPath}; model: ${join(out, MODEL_FILE_NAME)}\n`,
    );
    return metricsPath;
  } catch (error) {
    progress.endEpoch();
    metrics.status = 'failed';
    metrics.error = error instanceof Error ? error.message : String(error);
    await writeMetricsFile(out, metrics);
    if (error instanceof NonFiniteLossError) io.stderr.write(`metrics up to the last good epoch are in ${metricsPath}; the last good checkpoint is ${join(out, CHECKPOINT_FILE_NAME)}\n`);
    throw error;
  } finally {
    model.dispose();
  }
}

function epochRow(record: EpochRecord): MetricsFile['epochs'][number] {
  const c = record.certificate;
  return {
    epoch: record.epoch,
    elbo: record.elbo,
    entropySum: record.entropySum,
    relativeGap: record.relativeGap,
    // Records of checkpoints written before the raw gap existed have none; their gap is then all there is.
    rawRelativeGap: record.rawGap?.relativeGap ?? record.relativeGap,
    closedFormSteps: record.closedFormSteps ?? [],
    sigma2: record.decoderVariance ?? null,
    certificate: c === undefined ? null : { converged: c.converged, maxRelativeGain: c.maxRelativeGain, worstGroup: c.worstGroup, reasons: c.reasons },
  };
}
