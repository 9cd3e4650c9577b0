import type { StationarityCertificate } from './diagnostics/stationarity-certificate.js';
import type { Evaluation } from './evaluate.js';
import type { FinalPolishReport } from './final-polish.js';

/** ELBO, entropy sum and their relative gap of one evaluation, nats per data point. */
export interface GapSnapshot {
  /** The Monte-Carlo ELBO of the evaluation; for the linear VAE its exact (sampling-free) ELBO. */
  elbo: number;
  entropySum: number;
  /** |elbo − entropySum| / |elbo|. */
  relativeGap: number;
}

/**
 * One epoch's evaluation on the full training set. The {@link Evaluation} fields describe the state the epoch
 * ends in, i.e. AFTER this epoch's closed-form steps (`closedFormSteps`), which make the gap small at any weights
 * (gap identity derived from arXiv 2010.14860); `rawGap` is the gap measured BEFORE them, and `certificate` says whether the end state is
 * stationary by its gradients.
 */
export interface EpochRecord extends Evaluation {
  epoch: number;
  /** The closed-form steps that ran at this epoch's end, in order (empty when none did). */
  closedFormSteps: string[];
  /** ELBO, entropy sum and relative gap before any closed-form step of this epoch (equal to the end state's when none ran). */
  rawGap: GapSnapshot;
  /** The stationarity certificate of the end state, when training was asked for it (`certificate` option). */
  certificate?: StationarityCertificate;
  /** The end-of-run polish (`finalPolish` option), on the run's last epoch only; listed first in `closedFormSteps`. */
  polish?: FinalPolishReport;
  /**
   * Set when this epoch was closed early: only `batchesDone` of its `batchesPerEpoch` batches ran. `trainVae` closes
   * one on a stop request; the run's checkpoint holds the position before that close, so a resumed run finishes the
   * epoch instead, and this record describes a state the uninterrupted run never passes through. `trainVaeOnStream`
   * closes one on a stop request too, and when its source ends before `batchesPerEpoch`; given no
   * `batchesPerEpoch`, it has no count to state, and `batchesPerEpoch` is absent.
   */
  partial?: { batchesDone: number; batchesPerEpoch?: number };
}
