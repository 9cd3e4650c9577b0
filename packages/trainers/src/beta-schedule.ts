import type { ScheduleProgress } from './learning-rate-schedule.js';

/** Maps training progress to the KL weight β of the objective `E_q log p(x|z) − β·KL`. */
export type BetaSchedule = (progress: ScheduleProgress) => number;

/**
 * Linear KL annealing: β rises from `from` at step 1 to `to` at step `warmupSteps`, then stays at `to`.
 * With β ≠ 1 the objective is not the ELBO, and the ELBO–entropy-sum identity only holds once β = 1.
 */
export function linearKlAnnealing(warmupSteps: number, from = 0, to = 1): BetaSchedule {
  if (!Number.isInteger(warmupSteps) || warmupSteps < 1) throw new Error(`warmupSteps: expected a positive integer, got ${String(warmupSteps)}`);
  for (const [name, value] of [['from', from], ['to', to]] as const) {
    if (!(value >= 0) || !Number.isFinite(value)) throw new Error(`${name}: expected a finite number ≥ 0, got ${String(value)}`);
  }
  return ({ step }) => (step >= warmupSteps ? to : from + ((to - from) * (step - 1)) / Math.max(1, warmupSteps - 1));
}
