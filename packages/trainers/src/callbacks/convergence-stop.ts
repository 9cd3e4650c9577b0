import type { EpochRecord } from '../epoch-record.js';
import type { TrainCallbacks } from '../train-callbacks.js';

/** Options of {@link convergenceStop}. */
export interface ConvergenceStopOptions {
  /** Consecutive epochs whose certificate says converged needed to stop. Default 2. */
  epochs?: number;
}

/**
 * Stops training once the model is certified stationary: the {@link stationarityCertificate} of the epoch's end
 * state (its gradients, the gap measured before any closed-form step and the ELBO's change over its window)
 * says converged for `epochs` consecutive epochs. A small gap alone never stops training: the closed-form
 * steps make it zero at any weights (gap identity derived from arXiv 2010.14860). Needs the training loop's `certificate` option; an epoch
 * without a certificate is an error.
 */
export function convergenceStop(options: ConvergenceStopOptions = {}): TrainCallbacks {
  const needed = options.epochs ?? 2;
  if (!Number.isInteger(needed) || needed < 1) throw new Error(`epochs: expected a positive integer, got ${String(needed)}`);
  let streak = 0;
  return {
    onTrainStart() {
      streak = 0;
    },
    onEpochEnd(record: EpochRecord, control) {
      if (record.certificate === undefined) {
        throw new Error('convergenceStop: the epoch record has no stationarity certificate; train with the `certificate` option (e.g. `certificate: true`)');
      }
      streak = record.certificate.converged ? streak + 1 : 0;
      if (streak >= needed) {
        const c = record.certificate;
        control.stop(
          `converged: certified stationary for ${needed} epoch${needed > 1 ? 's' : ''} (largest gradient-step gain ${c.maxRelativeGain.toExponential(2)} of |ELBO|, raw gap ${c.rawGap.relativeGap.toExponential(2)} of (D + H)/2)`,
        );
      }
    },
  };
}
