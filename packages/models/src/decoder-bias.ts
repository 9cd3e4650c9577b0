import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@trientropy/distributions';
import { BernoulliVae } from './bernoulli-vae.js';
import { ScalarGaussianVae } from './scalar-gaussian-vae.js';
import type { VaeModel } from './vae-model.js';
import { Vae3 } from './vae3.js';

/**
 * Sets the decoder's output bias so that the decoder mean starts at the data mean `mean` (length D): the bias of
 * μ(z) for Gaussian decoders (VAE-0/1/2/3, linear), the logits `log(p/(1 − p))` of the clipped mean for the
 * Bernoulli decoder. Without it an uncentred data set (offsets of 10, say) must first be reached by Adam steps
 * of about the learning rate each. The continuous Bernoulli decoder, whose mean is not the logistic of its
 * logits, is left as it is. Returns whether a bias was set.
 */
export function initializeDecoderBias(model: VaeModel, mean: ArrayLike<number>): boolean {
  if (mean.length !== model.dataDim || !Array.from(mean).every(Number.isFinite)) throw new InvalidArgumentError('mean', `${model.dataDim} finite values (the model's dataDim)`, `${mean.length} values`);
  const values = Array.from(mean);
  let bias: tf.Variable;
  let target: number[];
  if (model instanceof ScalarGaussianVae) {
    bias = model.decoderMean.layers[model.decoderMean.layers.length - 1]!.bias;
    target = values;
  } else if (model instanceof Vae3) {
    bias = model.decoder.layers[model.decoder.layers.length - 1]!.bias;
    // 'latent-dependent' outputs [μ | ρ]: only the μ half moves.
    target = bias.size === model.dataDim ? values : [...values, ...Array.from(bias.dataSync()).slice(model.dataDim)];
  } else if (model instanceof BernoulliVae && model.config.likelihood === 'bernoulli') {
    bias = model.decoder.layers[model.decoder.layers.length - 1]!.bias;
    target = values.map((p) => {
      const q = Math.min(Math.max(p, 1e-3), 1 - 1e-3);
      return Math.log(q / (1 - q));
    });
  } else return false;
  tf.tidy(() => bias.assign(tf.tensor1d(target, 'float32')));
  return true;
}
