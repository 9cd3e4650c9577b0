import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '@trientropy/distributions';
import type { VaeModel } from '@trientropy/models';
import { conjugateGradientAscent } from './diagnostics/conjugate-gradient-ascent.js';
import { constrainedGradient } from './diagnostics/constrained-gradient.js';

/**
 * The end-of-run polish of {@link CommonTrainOptions.finalPolish}: full-data conjugate-gradient ascent on the ELBO
 * with one fixed set of Monte-Carlo draws.
 */
export interface FinalPolishOptions {
  /** Conjugate-gradient steps at most (each a gradient pass and a line search of a few ELBO passes); ≥ 1. */
  steps: number;
  /**
   * Draws of z per point in the fixed sample set. Default 16: with 4 to 8 the polish fits its own draws (on a grid
   * shape 30 steps at 4 draws raised the certificate's one-step gain from 1.9e-4 to 4.3e-4 of |ELBO|); 30 steps at 16
   * on the default CLI run's end state left gains of 5e-6 to 1e-5 ± 1e-5 at 8 fresh draws, certified (3 Dec).
   */
  samples?: number;
}

/** What the polish did, in {@link EpochRecord.polish}. */
export interface FinalPolishReport {
  steps: number;
  /** Steps that raised the polish's ELBO (it stops early when a line search finds no rise). */
  stepsTaken: number;
  samples: number;
  /** Rows it ran on (all the evaluation data). */
  rows: number;
  /** Its own fixed-draw ELBO before and after, nats per point (in the units the model trains in). */
  startElbo: number;
  endElbo: number;
  /** Gradient passes plus ELBO passes over the rows. */
  passes: number;
  seconds: number;
}

/** Checks {@link FinalPolishOptions} (before any training starts). */
export function checkFinalPolish(options: FinalPolishOptions): Required<FinalPolishOptions> {
  const { steps, samples = 16 } = options;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`finalPolish.steps: expected an integer ≥ 1, got ${String(steps)}`);
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`finalPolish.samples: expected an integer ≥ 1, got ${String(samples)}`);
  return { steps, samples };
}

/**
 * Moves every trainable variable of `model` by up to `steps` steps of joint conjugate-gradient ascent on the ELBO of
 * all rows of `x`, with `samples` fixed draws of z per point (common random numbers, seeded by `seed`), in chunks
 * of `batchSize` rows.
 *
 * Why: minibatch Adam ends in a noise ball around a stationary point whose size is set by its last learning rate,
 * and along slow, ill-conditioned valleys a floor rate of 2e-5 moves too little: the certificate's multi-step probe
 * still found 3.3e-4 to 1.8e-3 of |ELBO| to gain after the default VAE-1 run on a grid shape (D = 8, H = 3), with four
 * certificate seeds and 2, 8 and 32 draws per point alike. Full-data conjugate-gradient steps move along such valleys
 * faster: 60 steps at 8 draws cut that probe gain to 4.2e-4 (measured at 32 draws), closer but still above the
 * certificate's tolerance 1e-4; with few draws they can overfit them (on another shape 30 steps at 4 draws raised the
 * one-step gain from 1.9e-4 to 4.3e-4); at 16 draws 30 steps made the default CLI run's end state certified. The draws are the polish's own (derived from the training seed), never the certificate's, so the
 * certificate's gradients, line searches and probe judge the result on draws the polish did not fit.
 */
export async function finalPolish(model: VaeModel, x: tf.Tensor2D, polishOptions: FinalPolishOptions, seed: number, batchSize: number): Promise<FinalPolishReport> {
  const options = checkFinalPolish(polishOptions);
  if (!Number.isSafeInteger(seed)) throw new Error(`seed: expected a safe integer, got ${String(seed)}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize: expected an integer ≥ 1, got ${String(batchSize)}`);
  if (x.rank !== 2 || x.shape[1] !== model.dataDim) throw new Error(`x: expected a [rows, ${model.dataDim}] tensor (the model's dataDim), got shape [${x.shape.join(', ')}]`);
  if (x.shape[0] === 0) throw new Error('x: expected at least one row, got 0');
  const started = performance.now();
  const variables = model.trainableVariables();
  const n = x.shape[0];
  const chunks = Math.ceil(n / batchSize);
  const rowsOf = (c: number): number => Math.min(batchSize, n - c * batchSize);
  const chunkOf = (c: number): tf.Tensor2D => tf.slice(x, [c * batchSize, 0], [rowsOf(c), x.shape[1]]);
  const objective = (c: number): tf.Scalar => tf.mul(model.objective(chunkOf(c), { seed: deriveSeed(seed, c), samples: options.samples }), rowsOf(c) / n);
  const run = await conjugateGradientAscent(
    {
      variables,
      gradient: () =>
        tf.tidy(() => {
          let sums: tf.Tensor[] = variables.map((v) => tf.zerosLike(v));
          for (let c = 0; c < chunks; c++) {
            const { value, grads } = tf.variableGrads(() => objective(c), variables);
            value.dispose();
            sums = sums.map((m, i) => tf.add(m, constrainedGradient(model, variables[i]!, grads[variables[i]!.name]!)));
          }
          return sums;
        }),
      search: () =>
        tf.tidy(() => {
          let total: tf.Scalar = tf.scalar(0);
          for (let c = 0; c < chunks; c++) total = tf.add(total, objective(c));
          return total;
        }),
      constrain: () => model.applyConstraints(),
    },
    options.steps,
  );
  return { steps: options.steps, stepsTaken: run.stepsTaken, samples: options.samples, rows: n, startElbo: run.startElbo, endElbo: run.endElbo, passes: run.passes, seconds: (performance.now() - started) / 1000 };
}
