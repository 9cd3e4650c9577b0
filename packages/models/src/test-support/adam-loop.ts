// A minimal full-batch Adam loop for the training acceptance tests. The real trainer lives in
// @trientropy/trainers, which depends on this package, so it cannot be used here.
import * as tf from '@tensorflow/tfjs-core';
import type { ScalarGaussianVae } from '../scalar-gaussian-vae.js';
import type { VaeModel } from '../vae-model.js';

export interface AdamLoopOptions {
  steps: number;
  learningRate: number;
  seed: number;
  /** Monte-Carlo samples per step. Default 1. */
  samples?: number;
  /** Every this many steps, set the variances to their closed forms (arXiv 2010.14860, stationary-point conditions). Default: never. */
  closedFormEvery?: number;
  /** No closed-form updates from this step on (plain Adam to the end). Default: none. */
  closedFormUntil?: number;
  /** Also rescale the latents to m_h = 1 at the closed-form updates (ScalarGaussianVae.normalizeLatentMoments). */
  normalizeMoments?: boolean;
  /** Called after every closed-form update (e.g. a closed-form encoder step). */
  afterClosedForm?: () => void;
  /** Learning rate at the last step; cosine decay from `learningRate`. Default: constant. */
  finalLearningRate?: number;
  /** Samples of the closed-form updates. Default 20. */
  closedFormSamples?: number;
  /** What to maximise; default `model.objective(x, { seed, samples })`. */
  objective?: (seed: number) => tf.Scalar;
}

/** Maximises the model's objective on `x` with Adam; constraints are applied before every step. */
export function trainWithAdam(model: VaeModel, x: tf.Tensor2D, options: AdamLoopOptions): void {
  const optimizer = tf.train.adam(options.learningRate);
  const variables = model.trainableVariables();
  const samples = options.samples ?? 1;
  try {
    for (let step = 0; step < options.steps; step++) {
      const seed = options.seed * 100_003 + step;
      model.applyConstraints();
      if (options.finalLearningRate !== undefined) {
        const progress = step / Math.max(options.steps - 1, 1);
        const rate = options.finalLearningRate + 0.5 * (options.learningRate - options.finalLearningRate) * (1 + Math.cos(Math.PI * progress));
        (optimizer as unknown as { learningRate: number }).learningRate = rate;
      }
      tf.tidy(() => {
        optimizer.minimize(() => tf.neg(options.objective ? options.objective(seed) : model.objective(x, { seed, samples })) as tf.Scalar, false, variables);
      });
      if (options.closedFormEvery !== undefined && (step + 1) % options.closedFormEvery === 0 && step + 1 <= (options.closedFormUntil ?? Infinity)) {
        if (options.normalizeMoments === true) (model as unknown as ScalarGaussianVae).normalizeLatentMoments(x);
        model.setOptimalVariances(x, { seed: seed + 7, samples: options.closedFormSamples ?? 20 });
        options.afterClosedForm?.();
      }
    }
    model.applyConstraints();
  } finally {
    optimizer.dispose();
  }
}
