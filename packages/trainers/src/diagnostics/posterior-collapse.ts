import * as tf from '@tensorflow/tfjs-core';
import type { DataMatrix } from '@trientropy/data';
import type { VaeModel } from '@trientropy/models';
import type { EpochRecord } from '../epoch-record.js';
import type { TrainCallbacks } from '../train-callbacks.js';

/** Default collapse threshold in nats (arXiv 2010.14860, posterior-collapse application): below the prior's per-latent entropy ½log(2πe) ≈ 1.419. */
export const DEFAULT_COLLAPSE_THRESHOLD = 1.0;

/** Default weight of the newest epoch in the exponential moving average of the per-latent entropies (arXiv 2010.14860, experiments). */
export const DEFAULT_COLLAPSE_EMA = 0.05;

/** Which latents are active and which collapsed, from per-latent average encoder entropies. */
export interface PosteriorCollapseReport {
  /** `H_h = mean_n ½ log(2πe τ_nh²)` per latent, in nats (after smoothing, where smoothed). */
  entropies: number[];
  threshold: number;
  /** Indices h with `H_h < threshold`. */
  active: number[];
  /** Indices h with `H_h ≥ threshold`. */
  collapsed: number[];
}

function checkThreshold(threshold: number): number {
  if (!Number.isFinite(threshold)) throw new Error(`threshold: expected a finite number of nats, got ${String(threshold)}`);
  return threshold;
}

/**
 * Classifies latents by their average encoder entropy (arXiv 2010.14860, posterior-collapse application). The one comparison is
 * **collapsed iff `H_h ≥ threshold`** (active iff `H_h < threshold`); a latent exactly at the threshold
 * counts as collapsed. Why it works: a collapsed latent has q(z_h|x) = p(z_h), so τ_h = 1 and
 * `H_h = ½log(2πe) ≈ 1.419`, while at stationarity `mean ν_h² + mean τ_h² = 1` forces informative latents to
 * shrink τ_h and sit well below the prior's entropy. The reference code compares with `≤` in one place and
 * `<` in another; this library uses the `≥`-collapsed rule everywhere.
 */
export function detectPosteriorCollapse(entropies: readonly number[], threshold: number = DEFAULT_COLLAPSE_THRESHOLD): PosteriorCollapseReport {
  checkThreshold(threshold);
  entropies.forEach((value, h) => {
    if (!Number.isFinite(value)) throw new Error(`entropies[${h}]: expected a finite number of nats, got ${String(value)}`);
  });
  const active: number[] = [];
  const collapsed: number[] = [];
  entropies.forEach((value, h) => (value >= threshold ? collapsed : active).push(h));
  return { entropies: [...entropies], threshold, active, collapsed };
}

/**
 * Per-latent average encoder entropies `mean_n ½log(2πe τ_nh²)` of `model` over every row of `data`, in chunks
 * of `batchSize` rows, as plain numbers (one read-back; no tensors left behind).
 */
export async function encoderEntropiesPerLatent(model: VaeModel, data: DataMatrix | tf.Tensor2D, batchSize = 2000): Promise<number[]> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize: expected a positive integer, got ${String(batchSize)}`);
  const x = data instanceof tf.Tensor ? data : tf.tensor2d(data.values, [data.rows, data.cols], 'float32');
  try {
    const n = x.shape[0];
    if (n === 0) throw new Error('data: expected at least one row, got 0');
    if (x.shape[1] !== model.dataDim) throw new Error(`data: expected ${model.dataDim} columns (the model's dataDim), got ${x.shape[1]}`);
    const total = tf.tidy(() => {
      let sum = tf.zeros([model.latentDim]);
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        sum = tf.add(sum, tf.mul(model.encoderEntropiesPerLatent(tf.slice(x, [start, 0], [size, x.shape[1]])), size));
      }
      return tf.div(sum, n);
    });
    const values = Array.from(await total.data());
    total.dispose();
    return values;
  } finally {
    if (x !== data) x.dispose();
  }
}

/** Options of {@link posteriorCollapseMonitor}. */
export interface PosteriorCollapseMonitorOptions {
  /** Collapsed iff the (smoothed) entropy is ≥ this many nats. Default {@link DEFAULT_COLLAPSE_THRESHOLD}. */
  threshold?: number;
  /**
   * Weight α of the newest epoch in the exponential moving average `s ← (1 − α)s + αH` (the first epoch
   * initialises s). Default 1: no smoothing. The reference post-processing uses α = 0.05 over iterations.
   */
  ema?: number;
  /** Rows per forward pass. Default 2000. */
  batchSize?: number;
}

/** One epoch's collapse report, raw and smoothed. */
export interface PosteriorCollapseEpoch extends PosteriorCollapseReport {
  epoch: number;
  /** The unsmoothed entropies of this epoch. */
  rawEntropies: number[];
}

/** A training callback that records active and collapsed latents per epoch; read `history` or `latest`. */
export interface PosteriorCollapseMonitor extends TrainCallbacks {
  readonly history: readonly PosteriorCollapseEpoch[];
  readonly latest: PosteriorCollapseEpoch | undefined;
}

/**
 * A {@link TrainCallbacks} object that, after every epoch, computes the per-latent average encoder entropies of
 * `model` on `data` (the training set or a fixed probe set), smooths them with an optional EMA and records which
 * latents are active and which collapsed ({@link detectPosteriorCollapse}). One device read per epoch.
 */
export function posteriorCollapseMonitor(model: VaeModel, data: DataMatrix | tf.Tensor2D, options: PosteriorCollapseMonitorOptions = {}): PosteriorCollapseMonitor {
  const threshold = checkThreshold(options.threshold ?? DEFAULT_COLLAPSE_THRESHOLD);
  const alpha = options.ema ?? 1;
  if (!(alpha > 0 && alpha <= 1)) throw new Error(`ema: expected a weight in (0, 1], got ${String(alpha)}`);
  const batchSize = options.batchSize ?? 2000;
  const history: PosteriorCollapseEpoch[] = [];
  let smoothed: number[] | undefined;
  return {
    history,
    get latest() {
      return history[history.length - 1];
    },
    onTrainStart() {
      history.length = 0;
      smoothed = undefined;
    },
    async onEpochEnd(record: EpochRecord) {
      const raw = await encoderEntropiesPerLatent(model, data, batchSize);
      smoothed = smoothed === undefined ? raw : smoothed.map((s, h) => (1 - alpha) * s + alpha * raw[h]!);
      history.push({ epoch: record.epoch, rawEntropies: raw, ...detectPosteriorCollapse(smoothed, threshold) });
    },
  };
}
