import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { seededRandomNormal } from '@trientropy/distributions';
import type { DataMatrix, Standardizer } from '@trientropy/data';
import { toOriginalUnits } from '../load-run.js';
import { DEFAULT_COLLAPSE_THRESHOLD } from '@trientropy/trainers';
import { makeDirectory } from '@trientropy/trainers/node';
import type { AnyVae } from '@trientropy/models';
import type { MetricsFile } from '../metrics-file.js';
import { RUN_FILES } from '../run-directory.js';
import { imageShapeFor, writeImageGrid } from './image-grid.js';
import { encoderEntropiesSpec, latentSpaceSpec, trainingCurvesSpec } from './plot-specs.js';
import { writePlot } from './render-plot.js';

/** What the plots beyond the curves need: the trained model and its data (latent space, image grids). */
export interface RunPlotInputs {
  model?: AnyVae;
  data?: DataMatrix;
  /** Class labels of `data`'s rows (colour the latent space). */
  labels?: Int32Array;
  /**
   * The standardisation the model was trained with (`data` is then in its units) and the same rows in the original
   * units: image grids show those rows and the decoded values mapped back (mean + std · x).
   */
  standardized?: { standardizer: Standardizer; original: DataMatrix };
  /** The `--data` name: Fashion-MNIST and MNIST are drawn as images. */
  dataName?: string;
}

/** The prior's per-latent entropy ½ log(2πe α²); α² = 1 for a standard normal prior. */
const HALF_LOG_2PI_E = 0.5 * Math.log(2 * Math.PI * Math.E);

/** Rows of the latent-space plot and of the image grids. */
const LATENT_POINTS = 2000;
const GRID_IMAGES = 64;

/** Whether a data set is images (square pixel grids in [0, 1]): Fashion-MNIST, MNIST, or a square D with values in [0, 1]. */
export function imageShapeOf(data: DataMatrix, dataName: string | undefined): [number, number] | undefined {
  const shape = imageShapeFor(data.cols);
  if (shape === undefined) return undefined;
  if (dataName === 'mnist' || dataName === 'fashion-mnist') return shape;
  for (const v of data.values) if (!(v >= 0 && v <= 1)) return undefined;
  return shape;
}

/**
 * Draws the plots of a run directory into `DIR/plots/` (SVG and PNG): `training` (ELBO and entropy sum per epoch,
 * relative gap below), `encoder-entropies` (per latent, with prior entropy and collapse threshold) and, given the
 * model and data, `latent-space` (H = 2) and for image data `reconstructions.png` (originals above their
 * reconstructions) and `samples.png`. Returns the paths written.
 */
export async function drawRunPlots(directory: string, inputs: RunPlotInputs = {}): Promise<string[]> {
  const metricsPath = join(directory, RUN_FILES.metrics);
  if (!existsSync(metricsPath)) throw new Error(`${metricsPath} does not exist`);
  const metrics = JSON.parse(readFileSync(metricsPath, 'utf8')) as MetricsFile;
  const dir = join(directory, RUN_FILES.plotsDir);
  await makeDirectory(dir);
  const written: string[] = [];
  if (metrics.epochs.length > 0) {
    // The gap panel shows the raw gap, measured before the epoch's closed-form steps: those steps zero the gap at
    // any weights (spec §6.2), so the gap after them says nothing about convergence. Metrics files written before
    // the raw gap was recorded only have the gap after the steps, and the label then says so.
    const haveRawGaps = metrics.epochs.every((e) => Number.isFinite(e.rawGapNats));
    written.push(
      ...(await writePlot(
        trainingCurvesSpec(
          metrics.epochs.map((e) => ({ epoch: e.epoch, elbo: e.elbo, entropySum: e.entropySum, heldOutElbo: e.heldOutElbo, ...(haveRawGaps ? { gap: e.rawGapNats } : {}) })),
          {
            title: `${metrics.model} on ${metrics.data}: ELBO and entropy sum`,
            gapLabel: haveRawGaps ? 'ELBO − entropy sum before closed-form steps' : 'ELBO − entropy sum after closed-form steps',
          },
        ),
        join(dir, 'training'),
      )),
    );
    const priorVariances = metrics.final?.priorVariances;
    const withEntropies = metrics.epochs.filter((e) => Array.isArray(e.encoderEntropies));
    if (withEntropies.length > 0) {
      written.push(
        ...(await writePlot(
          encoderEntropiesSpec(
            withEntropies.map((e) => ({ epoch: e.epoch, entropies: e.encoderEntropies })),
            { priorEntropy: priorVariances ? HALF_LOG_2PI_E + 0.5 * Math.log(priorVariances[0]!) : HALF_LOG_2PI_E, threshold: metrics.posteriorCollapse?.threshold ?? DEFAULT_COLLAPSE_THRESHOLD },
          ),
          join(dir, 'encoder-entropies'),
        )),
      );
    }
  }
  const { model, data } = inputs;
  if (model === undefined || data === undefined) return written;
  const rows = Math.min(data.rows, LATENT_POINTS);
  const x = tf.tensor2d(data.values.subarray(0, rows * data.cols), [rows, data.cols], 'float32');
  try {
    if (model.latentDim === 2) {
      const means = tf.tidy(() => model.encode(x).mean);
      const values = await means.data();
      means.dispose();
      const points = Array.from({ length: rows }, (_, i) => ({ z1: values[2 * i]!, z2: values[2 * i + 1]!, ...(inputs.labels ? { label: inputs.labels[i]! } : {}) }));
      written.push(...(await writePlot(latentSpaceSpec(points, { title: `${metrics.model} on ${metrics.data}: encoder means of ${rows} points` }), join(dir, 'latent-space'))));
    }
    const standardizer = inputs.standardized?.standardizer;
    const original = inputs.standardized?.original ?? data;
    const shape = imageShapeOf(original, inputs.dataName ?? metrics.data);
    if (shape !== undefined) {
      const count = Math.min(GRID_IMAGES / 2, rows);
      const recon = tf.tidy(() => model.reconstruct(tf.slice(x, [0, 0], [count, data.cols])));
      const means = tf.tidy(() => model.decode(tf.mul(seededRandomNormal([GRID_IMAGES, model.latentDim], metrics.seed), tf.exp(tf.mul(model.priorLogVariance(), 0.5)))));
      const [reconValues, sampleValues] = (await Promise.all([recon.data() as Promise<Float32Array>, means.data() as Promise<Float32Array>])).map((v) => toOriginalUnits(v, data.cols, standardizer)) as [Float32Array, Float32Array];
      tf.dispose([recon, means]);
      const pairValues = new Float32Array(2 * count * data.cols);
      pairValues.set(original.values.subarray(0, count * data.cols));
      pairValues.set(reconValues, count * data.cols);
      // Originals in the top half, their reconstructions below in the same order.
      await writeImageGrid(join(dir, 'reconstructions.png'), pairValues, 2 * count, shape, Math.min(8, count));
      await writeImageGrid(join(dir, 'samples.png'), sampleValues, GRID_IMAGES, shape);
      written.push(join(dir, 'reconstructions.png'), join(dir, 'samples.png'));
    }
  } finally {
    x.dispose();
  }
  return written;
}
