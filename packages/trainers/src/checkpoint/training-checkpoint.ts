import type { RandomState } from '@trientropy/data';
import type { EpochRecord } from '../epoch-record.js';
import type { AdamState } from './adam-state.js';

/** One model variable in a checkpoint. Variables are matched by position; the name is informational. */
export interface CheckpointVariable {
  name: string;
  shape: number[];
  values: Float32Array;
}

/**
 * Everything needed to continue a training run exactly where it stopped: parameters, optimiser states,
 * random-generator states, position in the epoch, the epoch's running loss and the history. Resuming from
 * a checkpoint reproduces, bit for bit on the cpu backend, the run that wrote it.
 */
export interface TrainingCheckpoint {
  version: 1;
  /** ISO time of writing. */
  createdAt: string;
  modelKind: string;
  /** The model's full config (`model.config`), so that a resumed run can refuse a different architecture. Absent in checkpoints of older builds. */
  modelConfig?: Record<string, unknown>;
  variables: CheckpointVariable[];
  /** One Adam state per parameter group, default group first. */
  optimizers: AdamState[];
  random: {
    /** The generator now. */
    current: RandomState;
    /** The generator when the current epoch began (its permutation is drawn from it). */
    epochStart: RandomState;
  };
  progress: {
    /** Epoch in progress (or just completed, when `batchesDone === batchesPerEpoch`). */
    epoch: number;
    batchesDone: number;
    batchesPerEpoch: number;
    /** Global steps done. */
    step: number;
    /** Sum of the losses of the epoch's steps done so far (float32, as accumulated on the device). */
    lossSum: number;
  };
  /** Settings a resumed run must share with the one that wrote the checkpoint. */
  run: { rows: number; batchSize: number; epochs: number; samples: number; seed: number };
  records: EpochRecord[];
  /** Free-form data of the caller (e.g. the CLI's flags), stored and returned unchanged. */
  metadata: Record<string, unknown>;
}
