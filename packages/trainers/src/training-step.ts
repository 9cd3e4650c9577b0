import * as tf from '@tensorflow/tfjs-core';
import { LinearVae, type VaeModel } from '@trientropy/models';

/** One optimiser per parameter group, with the group's variables. */
export interface GroupOptimizer {
  variables: tf.Variable[];
  optimizer: tf.AdamOptimizer;
}

/** Options of one step of {@link trainingStep}. */
export interface StepOptions {
  seed: number;
  samples: number;
  beta: number;
  /** Rescale all gradients together so that their global L2 norm is at most this. */
  clipNorm: number | undefined;
}

/**
 * What a step maximises: the model's objective, except for the linear VAE, whose ELBO is closed form
 * ({@link LinearVae.exactElbo}): its Monte-Carlo estimate would only add noise (a 1-sample ELBO leaves a raw gap
 * of up to 1e-2 after training), so the linear VAE is trained on `E_q log p(x|z) − β·KL` exactly.
 */
function stepObjective(model: VaeModel, x: tf.Tensor2D, options: StepOptions): tf.Scalar {
  if (!(model instanceof LinearVae)) return model.objective(x, { seed: options.seed, samples: options.samples, beta: options.beta });
  return tf.tidy(() => {
    const terms = model.exactElbo(x);
    return tf.sub(terms.expectedLogLikelihood, tf.mul(terms.kl, options.beta)) as tf.Scalar;
  });
}

/**
 * One Adam step on `−objective_β(x)` (the ELBO, minus VAE-2's penalty in 'regularize' mode) for every group;
 * returns the loss (a scalar the caller owns). The model's constraints are re-imposed first (VAE-2 'rescale'),
 * outside the gradient computation. Gradients are computed once for all variables, clipped by their global
 * norm if asked, then each group's optimizer applies its share.
 */
export function trainingStep(model: VaeModel, x: tf.Tensor2D, groups: readonly GroupOptimizer[], options: StepOptions): tf.Scalar {
  model.applyConstraints();
  return tf.tidy(() => {
    const variables = groups.flatMap((g) => g.variables);
    const { value, grads } = tf.variableGrads(() => tf.neg(stepObjective(model, x, options)), variables);
    let scale: tf.Scalar | undefined;
    if (options.clipNorm !== undefined) {
      const norm = tf.sqrt(tf.addN(variables.map((v) => tf.sum(tf.square(grads[v.name]!)))));
      scale = tf.minimum(tf.scalar(1), tf.div(tf.scalar(options.clipNorm), tf.maximum(norm, tf.scalar(1e-30)))) as tf.Scalar;
    }
    for (const group of groups) {
      const share: { name: string; tensor: tf.Tensor }[] = [];
      for (const v of group.variables) share.push({ name: v.name, tensor: scale === undefined ? grads[v.name]! : tf.mul(grads[v.name]!, scale) });
      group.optimizer.applyGradients(share);
    }
    return value;
  });
}
