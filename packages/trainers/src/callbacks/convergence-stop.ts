import type { EpochRecord } from '../epoch-record.js';
import type { TrainCallbacks } from '../train-callbacks.js';

/** Options of {@link convergenceStop}. */
export interface ConvergenceStopOptions {
  /** Largest relative gap |ELBO − entropy sum|/|ELBO| counted as converged. Default 1e-2. */
  gapTolerance?: number;
  /** Largest relative ELBO change from the previous epoch, |ΔELBO|/|ELBO|, counted as converged. Default 1e-3. */
  elboTolerance?: number;
  /** Consecutive converged epochs needed to stop. Default 3. */
  epochs?: number;
}

/**
 * The convergence rule of the entropy form (spec §5.5): at a stationary point the ELBO equals the entropy
 * sum, so training stops once the relative gap and the relative ELBO change both stay under their tolerances
 * for `epochs` consecutive epochs.
 */
export function convergenceStop(options: ConvergenceStopOptions = {}): TrainCallbacks {
  const gapTolerance = options.gapTolerance ?? 1e-2;
  const elboTolerance = options.elboTolerance ?? 1e-3;
  const needed = options.epochs ?? 3;
  for (const [name, value] of [['gapTolerance', gapTolerance], ['elboTolerance', elboTolerance]] as const) {
    if (!(value > 0) || !Number.isFinite(value)) throw new Error(`${name}: expected a finite number > 0, got ${String(value)}`);
  }
  if (!Number.isInteger(needed) || needed < 1) throw new Error(`epochs: expected a positive integer, got ${String(needed)}`);
  let previous: number | undefined;
  let streak = 0;
  return {
    onTrainStart() {
      previous = undefined;
      streak = 0;
    },
    onEpochEnd(record: EpochRecord, control) {
      const change = previous === undefined ? Infinity : Math.abs(record.elbo - previous) / Math.abs(record.elbo);
      previous = record.elbo;
      streak = record.relativeGap < gapTolerance && change < elboTolerance ? streak + 1 : 0;
      if (streak >= needed) {
        control.stop(`converged: relative gap < ${gapTolerance} and relative ELBO change < ${elboTolerance} for ${needed} epochs`);
      }
    },
  };
}
