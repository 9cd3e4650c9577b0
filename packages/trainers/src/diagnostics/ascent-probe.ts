import * as tf from '@tensorflow/tfjs-core';
import { type AscentProblem, conjugateGradientAscent } from './conjugate-gradient-ascent.js';
import { pairedGain } from './paired-gain.js';

/**
 * The multi-step test of {@link stationarityCertificate}: how much the ELBO rises in a few joint ascent steps
 * from a copy of the parameters. A one-gradient line search per parameter group sees only the slope along one
 * direction; in a slow, curved valley (a latent mean that drifted away from 0 while the decoder bias followed it,
 * ill-conditioned data) the gradient points across the valley, one step gains almost nothing, and the optimum
 * lies far along it. Conjugate directions follow such a valley within a few steps.
 */
export interface AscentProbe {
  /** Steps asked for. */
  steps: number;
  /** Steps that raised the search ELBO (the probe stops early when a line search finds no rise). */
  stepsTaken: number;
  /**
   * ELBO after the steps minus the ELBO at the start, in nats per point, both on two check families of sample sets
   * independent of the ones the probe climbed on (so fitting the probe's own Monte-Carlo draws does not count); exact
   * for the linear VAE. Can be slightly negative.
   */
  gain: number;
  /** Monte-Carlo standard error of `gain` from the two check families ({@link pairedGain}); 0 for exact ELBOs. */
  standardError: number;
  /** `gain / max(|ELBO|, 1)`: compared with `tolerances.ascent`. */
  relativeGain: number;
  /** Full-data gradient passes plus ELBO evaluations used, a measure of its cost. */
  passes: number;
}

/** What the probe climbs on, supplied by the certificate (the same rows, chunks and sample seeds). */
export interface AscentProbeProblem extends AscentProblem {
  /**
   * The ELBO's shares on all rows, one array per check family of sample seeds used nowhere else, one column per piece
   * of the rows (see {@link pairedGain}); a single family and piece for exact ELBOs.
   */
  check: () => Promise<number[][]>;
  /** max(|ELBO|, 1), the scale of the relative gain. */
  scale: number;
}

/**
 * Runs `steps` steps of {@link conjugateGradientAscent} on all variables at once, then measures the gain and its
 * standard error on the check sample sets and restores every variable exactly. Leaves no tensors behind.
 */
export async function ascentProbe(problem: AscentProbeProblem, steps: number): Promise<AscentProbe> {
  const saved = problem.variables.map((v) => tf.clone(v));
  try {
    const startCheck = await problem.check();
    const run = await conjugateGradientAscent(problem, steps);
    const { gain, standardError } = run.stepsTaken === 0 ? { gain: 0, standardError: 0 } : pairedGain(startCheck, await problem.check());
    const passes = 1 + run.passes + (run.stepsTaken > 0 ? 1 : 0);
    return { steps, stepsTaken: run.stepsTaken, gain, standardError, relativeGain: gain / problem.scale, passes };
  } finally {
    problem.variables.forEach((v, i) => v.assign(saved[i]!));
    tf.dispose(saved);
  }
}
