import type * as tf from '@tensorflow/tfjs-core';

/** Where training stands, for a {@link LearningRateSchedule}. */
export interface ScheduleProgress {
  /** Global step about to run, from 1. */
  step: number;
  totalSteps: number;
}

/** Maps training progress to a learning rate. */
export type LearningRateSchedule = (progress: ScheduleProgress) => number;

/** The same rate at every step. */
export function constantSchedule(rate: number): LearningRateSchedule {
  checkRate(rate, 'rate');
  return () => rate;
}

/**
 * Cosine decay from `initialRate` to `initialRate · finalFraction` at the last step, after an optional hold at
 * `initialRate`, or to the floor earlier and then an optional tail at it. Late small steps let the ELBO settle at a stationary point, where it meets the entropy sum; with a
 * constant rate Adam's noise keeps both moving by a few per cent from epoch to epoch.
 *
 * With progress t = (step − 1)/(totalSteps − 1) in [0, 1], the rate is constant while t ≤ `holdFraction` and then
 * decays along a half cosine over the rest of the run: at u = (t − holdFraction)/(1 − holdFraction) it is
 * `initialRate · (finalFraction + (1 − finalFraction) · (1 + cos πu)/2)`. A hold gives the encoder more steps at
 * the full rate before the decay freezes it: VAE-1 on the ill-conditioned pPCA shapes of the convergence grid
 * ended short of the optimum mostly by the encoder's amortisation error left when the rate had already decayed.
 * With a tail, the decay ends at t = 1 − `tailFraction` (u = (t − holdFraction)/(1 − holdFraction − tailFraction)) and
 * the rate stays at the floor for the rest of the run: the stationarity certificates of that phase then judge a run
 * that has settled at one rate, not one that is still descending because its rate is (measured on the convergence
 * grid's VAE-1 runs: with the decay to the last step, every final certificate failed its ELBO-change test over the
 * last 14 % of the run; with a tail of 0.2 none did). `holdFraction` and `tailFraction` 0 (the defaults) are the plain
 * cosine decay, value for value. A run of one step gets the final rate.
 *
 * @param initialRate the rate at step 1 and throughout the hold; finite and > 0.
 * @param finalFraction the last step's rate as a fraction of `initialRate`, in [0, 1].
 * @param holdFraction the fraction of the run's progress held at `initialRate` before the decay starts, in [0, 1).
 * @param tailFraction the fraction of the run's progress, at its end, held at the floor after the decay, in
 *   [0, 1 − holdFraction).
 */
export function cosineSchedule(initialRate: number, finalFraction = 0.1, holdFraction = 0, tailFraction = 0): LearningRateSchedule {
  checkRate(initialRate, 'initialRate');
  if (!(finalFraction >= 0 && finalFraction <= 1)) throw new Error(`finalFraction: expected a number in [0, 1], got ${String(finalFraction)}`);
  // 1 is refused: the decay would have no steps left and the run would end at the full rate, not the floor.
  if (!(holdFraction >= 0 && holdFraction < 1)) throw new Error(`holdFraction: expected a number in [0, 1), got ${String(holdFraction)}`);
  if (!(tailFraction >= 0 && tailFraction < 1 - holdFraction)) throw new Error(`tailFraction: expected a number in [0, 1 − holdFraction = ${1 - holdFraction}), got ${String(tailFraction)}`);
  const decayEnd = 1 - tailFraction;
  return ({ step, totalSteps }) => {
    const t = totalSteps <= 1 ? 1 : (step - 1) / (totalSteps - 1);
    // With no hold and no tail, u is t exactly ((t − 0)/1), so the rates are those of the schedule before either existed.
    const u = Math.min(1, Math.max(0, (t - holdFraction) / (decayEnd - holdFraction)));
    return initialRate * (finalFraction + (1 - finalFraction) * 0.5 * (1 + Math.cos(Math.PI * u)));
  };
}

function checkRate(rate: number, argument: string): void {
  if (!(rate > 0) || !Number.isFinite(rate)) throw new Error(`${argument}: expected a finite number > 0, got ${String(rate)}`);
}

/**
 * Sets the learning rate of a tfjs optimizer in place. tfjs 4.22's optimizers read their (TypeScript-protected)
 * `learningRate` field on every `applyGradients`, and offer no setter; replacing the optimizer would lose
 * Adam's moment estimates. The test suite checks that the change takes effect.
 */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  const target = optimizer as unknown as { learningRate: number };
  if (typeof target.learningRate !== 'number') {
    throw new Error(`setLearningRate: ${optimizer.getClassName()} has no numeric learningRate field in this tfjs version`);
  }
  target.learningRate = rate;
}
