import type { EpochRecord } from '../epoch-record.js';
import type { TrainCallbacks } from '../train-callbacks.js';

/** Options of {@link earlyStopping}. */
export interface EarlyStoppingOptions {
  /** Epochs without improvement before stopping. */
  patience: number;
  /** An epoch improves if its ELBO exceeds the best so far by more than this (nats). Default 0. */
  minDelta?: number;
  /** Which per-epoch value to maximise. Default 'elbo'; 'entropySum' is the sampling-free, less noisy choice. */
  monitor?: 'elbo' | 'entropySum';
}

/** Stops training once the monitored value has not improved for `patience` epochs. */
export function earlyStopping(options: EarlyStoppingOptions): TrainCallbacks {
  const { patience } = options;
  if (!Number.isInteger(patience) || patience < 1) throw new Error(`patience: expected a positive integer, got ${String(patience)}`);
  const minDelta = options.minDelta ?? 0;
  if (!(minDelta >= 0) || !Number.isFinite(minDelta)) throw new Error(`minDelta: expected a finite number ≥ 0, got ${String(minDelta)}`);
  const monitor = options.monitor ?? 'elbo';
  let best = -Infinity;
  let bestEpoch = 0;
  return {
    onTrainStart() {
      best = -Infinity;
      bestEpoch = 0;
    },
    onEpochEnd(record: EpochRecord, control) {
      const value = record[monitor];
      if (value > best + minDelta) {
        best = value;
        bestEpoch = record.epoch;
      } else if (record.epoch - bestEpoch >= patience) {
        control.stop(`early stopping: ${monitor} has not improved by more than ${minDelta} for ${patience} epochs (best ${best.toFixed(5)} at epoch ${bestEpoch})`);
      }
    },
  };
}
