import * as tf from '@tensorflow/tfjs-core';

/** Element-wise non-linearities available to {@link Mlp} layers. */
export type ActivationName = 'linear' | 'relu' | 'leaky-relu' | 'tanh' | 'elu' | 'softplus';

/** Every {@link ActivationName}, in documentation order. */
export const ACTIVATION_NAMES: readonly ActivationName[] = ['linear', 'relu', 'leaky-relu', 'tanh', 'elu', 'softplus'];

/** Negative-side slope of 'leaky-relu': PyTorch's default (tfjs's own default is 0.2). */
export const LEAKY_RELU_SLOPE = 0.01;

/** Applies the named activation. */
export function applyActivation(name: ActivationName, x: tf.Tensor): tf.Tensor {
  switch (name) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'leaky-relu':
      return tf.leakyRelu(x, LEAKY_RELU_SLOPE);
    case 'tanh':
      return tf.tanh(x);
    case 'elu':
      return tf.elu(x);
    case 'softplus':
      return tf.softplus(x);
  }
}

/** Type guard used when activations come from user input (CLI flags, saved configs). */
export function isActivationName(value: string): value is ActivationName {
  return (ACTIVATION_NAMES as readonly string[]).includes(value);
}
