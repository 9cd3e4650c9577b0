import * as tf from '@tensorflow/tfjs-core';

/**
 * `tf.variable(initial)` that also disposes `initial`: a tfjs variable shares its initial tensor's data and
 * leaves that tensor alive, which would leak one tensor per variable and model.
 */
export function ownedVariable(initial: tf.Tensor, trainable: boolean, name: string): tf.Variable {
  const variable = tf.variable(initial, trainable, name);
  initial.dispose();
  return variable;
}
