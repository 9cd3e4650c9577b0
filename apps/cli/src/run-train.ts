import * as tf from '@tensorflow/tfjs-core';
import { loadDataset } from '@trientropy/data';
import { Vae1 } from '@trientropy/models';
import { NonFiniteLossError, type EpochRecord, constantSchedule, cosineSchedule, evaluateVae, trainVae } from '@trientropy/trainers';
import { epochTableHeader, formatEpochRow } from './epoch-table.js';
import { type MetricsFile, writeMetricsFile } from './metrics-file.js';
import { createProgressReporter } from './progress-reporter.js';
import type { TrainSettings } from './train-options.js';

/** Where `train` writes: stdout for the table, stderr for progress and notes. */
export interface TrainIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
}

/** `runs/<UTC timestamp>` under the working directory, the default `--out`. */
export function defaultRunDirectory(now = new Date()): string {
  return `runs/${now.toISOString().replace(/[:.]/g, '-')}`;
}

/**
 * Runs `trientropy train`: loads the data, trains, prints one table row per epoch and keeps metrics.json
 * up to date. Returns the path of metrics.json; a failed run leaves it with `status: "failed"` and rethrows.
 */
export async function runTrain(settings: TrainSettings, io: TrainIo): Promise<string> {
  const out = settings.out ?? defaultRunDirectory();
  const dataset = await loadDataset(settings.data, { dataDir: settings.dataDir, seed: settings.seed });
  io.stderr.write(`data: ${dataset.description}\n`);
  const model = new Vae1({ dataDim: dataset.data.cols, latentDim: settings.latents, hiddenSizes: settings.hidden, seed: settings.seed });
  io.stderr.write(`model: ${model.kind}, D=${model.dataDim}, H=${model.latentDim}, hidden [${settings.hidden.join(', ')}]; backend: ${tf.getBackend()}; writing ${out}/metrics.json\n`);

  const metrics: MetricsFile = {
    schemaVersion: 1,
    model: model.kind,
    backend: tf.getBackend(),
    data: dataset.name,
    seed: settings.seed,
    settings: { ...settings, out },
    status: 'running',
    epochs: [],
    final: null,
  };
  const metricsPath = await writeMetricsFile(out, metrics);
  const progress = createProgressReporter(io.stderr);
  const learningRate = settings.schedule === 'cosine' ? cosineSchedule(settings.learningRate, 0.05) : constantSchedule(settings.learningRate);
  const started = Date.now();
  io.stdout.write(`${epochTableHeader()}\n`);
  try {
    await trainVae(model, dataset.data, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      learningRate,
      seed: settings.seed,
      evaluation: { samples: settings.evalSamples },
      callbacks: {
        onEpochStart: (epoch) => progress.startEpoch(epoch, settings.epochs, Math.ceil(dataset.data.rows / settings.batchSize)),
        onBatchEnd: ({ batch }) => progress.batchDone(batch),
        onEpochEnd: async (record: EpochRecord) => {
          progress.endEpoch();
          const row = { epoch: record.epoch, elbo: record.elbo, entropySum: record.entropySum, relativeGap: record.relativeGap, sigma2: record.sigma2 };
          io.stdout.write(`${formatEpochRow(row)}\n`);
          metrics.epochs.push(row);
          await writeMetricsFile(out, metrics);
        },
      },
    });
    // The per-epoch evaluations use few samples for speed; the final numbers use more.
    const x = tf.tensor2d(dataset.data.values, [dataset.data.rows, dataset.data.cols]);
    const final = await evaluateVae(model, x, { seed: settings.seed + 1, samples: settings.finalEvalSamples }).finally(() => x.dispose());
    metrics.final = {
      elbo: final.elbo,
      entropySum: final.entropySum,
      relativeGap: final.relativeGap,
      entropies: final.entropies,
      expectedLogLikelihood: final.expectedLogLikelihood,
      kl: final.kl,
      sigma2: final.sigma2,
      varianceRatio: final.varianceRatio,
      latentSecondMoments: final.latentSecondMoments,
      evalSamples: settings.finalEvalSamples,
    };
    metrics.status = 'completed';
    metrics.trainingSeconds = (Date.now() - started) / 1000;
    await writeMetricsFile(out, metrics);
    io.stdout.write(
      `final (${settings.finalEvalSamples} samples/point): ELBO ${final.elbo.toFixed(5)}, entropy sum ${final.entropySum.toFixed(5)}, ` +
        `relative gap ${final.relativeGap.toExponential(2)}; H[p(z)] ${final.entropies.prior.toFixed(4)}, mean H[q(z|x)] ` +
        `${final.entropies.encoder.toFixed(4)}, H[p(x|z)] ${final.entropies.decoder.toFixed(4)}\n` +
        `trained ${settings.epochs} epochs in ${metrics.trainingSeconds.toFixed(1)} s; metrics: ${metricsPath}\n`,
    );
    return metricsPath;
  } catch (error) {
    progress.endEpoch();
    metrics.status = 'failed';
    metrics.error = error instanceof Error ? error.message : String(error);
    await writeMetricsFile(out, metrics);
    if (error instanceof NonFiniteLossError) io.stderr.write(`metrics up to the last good epoch are in ${metricsPath}\n`);
    throw error;
  } finally {
    model.dispose();
  }
}
