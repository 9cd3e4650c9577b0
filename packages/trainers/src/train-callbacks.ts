import type { EpochRecord } from './epoch-record.js';
import type { TrainControl } from './train-control.js';

/** Progress of one optimisation step, passed to {@link TrainCallbacks.onBatchEnd}. */
export interface BatchInfo {
  epoch: number;
  /** Batch index within the epoch, from 0. */
  batch: number;
  /** Batches per epoch; undefined for a stream of unknown length. */
  batchesPerEpoch: number | undefined;
  /** Global step, from 1. */
  step: number;
}

/** What the training loops return. */
export interface TrainResult {
  epochs: EpochRecord[];
  /** The last epoch's evaluation. */
  final: EpochRecord;
  /** Global steps done. */
  steps: number;
  /** Set when a callback stopped training early. */
  stopReason?: string;
}

/** Hooks into training. Each receives a {@link TrainControl} whose `stop(reason)` ends training early. */
export interface TrainCallbacks {
  onTrainStart?(info: { epochs: number; batchesPerEpoch: number | undefined; startEpoch: number }, control: TrainControl): void | Promise<void>;
  onEpochStart?(epoch: number, control: TrainControl): void | Promise<void>;
  /** Called after every step; keep it cheap (no tensor reads). */
  onBatchEnd?(info: BatchInfo, control: TrainControl): void | Promise<void>;
  onEpochEnd?(record: EpochRecord, control: TrainControl): void | Promise<void>;
  onTrainEnd?(result: TrainResult, control: TrainControl): void | Promise<void>;
}
