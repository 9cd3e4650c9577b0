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
 * Cosine decay from `initialRate` at step 1 to `initialRate · finalFraction` at the last step. Late small
 * steps let the ELBO settle at a stationary point, where it meets the entropy sum; with a constant rate
 * Adam's noise keeps both moving by a few per cent from epoch to epoch.
 */
export function cosineSchedule(initialRate: number, finalFraction = 0.1): LearningRateSchedule {
  checkRate(initialRate, 'initialRate');
  if (!(finalFraction >= 0 && finalFraction <= 1)) throw new Error(`finalFraction: expected a number in [0, 1], got ${String(finalFraction)}`);
  return ({ step, totalSteps }) => {
    const t = totalSteps <= 1 ? 1 : (step - 1) / (totalSteps - 1);
    return initialRate * (finalFraction + (1 - finalFraction) * 0.5 * (1 + Math.cos(Math.PI * t)));
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
