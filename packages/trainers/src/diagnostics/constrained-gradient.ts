import * as tf from '@tensorflow/tfjs-core';
import { Vae2, type VaeModel } from '@trientropy/models';

/**
 * The VAE-2 'rescale' mode trains on the manifold ‖W_h‖ = 1; the radial part of each first-layer row's gradient
 * is held by the constraint, so it is projected out.
 */
export function constrainedGradient(model: VaeModel, variable: tf.Variable, gradient: tf.Tensor): tf.Tensor {
  if (!(model instanceof Vae2) || model.config.weightConstraint !== 'rescale' || variable !== model.decoderMean.layers[0]!.weight) return gradient;
  return tf.tidy(() => {
    const w = variable as tf.Tensor2D;
    const radial = tf.div(tf.sum(tf.mul(gradient, w), 1, true), tf.maximum(tf.sum(tf.square(w), 1, true), 1e-30));
    return tf.sub(gradient, tf.mul(radial, w));
  });
}
