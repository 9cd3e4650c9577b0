import type { Evaluation } from './evaluate.js';

/** One epoch's evaluation on the full training set. */
export interface EpochRecord extends Evaluation {
  epoch: number;
}
