import * as tf from '@tensorflow/tfjs-core';
import type { Dense } from './dense.js';

/**
 * A kernel computing the whole Monte-Carlo ELBO of a Gaussian VAE of dense ReLU/linear layers with the standard
 * prior and one scalar decoder variance, with a gradient kernel for all its parameters, where the active backend
 * has it (today @trientropy/backend-native's `native`; see its MLP_GAUSSIAN_ELBO_KERNEL for the contract). Named
 * here rather than imported, because backends sit at the edge and nothing depends on them.
 */
const MLP_GAUSSIAN_ELBO_KERNEL = 'TrientropyMlpGaussianElbo';
const MLP_GAUSSIAN_ELBO_GRAD_KERNEL = 'TrientropyMlpGaussianElboGrad';

/** The kernel's activation codes (the backend's ACTIVATION_CODES). */
const ACTIVATION_CODES = { linear: 0, relu: 1 } as const;

/** The layers' activation codes, or undefined when a layer has an activation the kernel does not run. */
function activationCodes(layers: readonly Dense[]): number[] | undefined {
  const codes: number[] = [];
  for (const layer of layers) {
    if (layer.activation !== 'linear' && layer.activation !== 'relu') return undefined;
    codes.push(ACTIVATION_CODES[layer.activation]);
  }
  return codes;
}

/** Whether {@link fusedMlpGaussianElbo} can run these layers on the active backend. */
export function canFuseMlpGaussianElbo(encoderLayers: readonly Dense[], decoderLayers: readonly Dense[]): boolean {
  return tf.getKernel(MLP_GAUSSIAN_ELBO_KERNEL, tf.getBackend()) !== undefined && activationCodes([...encoderLayers, ...decoderLayers]) !== undefined;
}

/**
 * `mean_n { E_q log N(x_n; μ(z), σ² I) − β·KL(q(z|x_n) ‖ N(0, I)) }` with z = ν + τ·ε for the given draws ε [S, n, H],
 * as one op: the values the layer-by-layer path (Dense layers, {@link reparameterizeWithStandardNormalKl},
 * `meanSquaredErrorSum`, `gaussianLogLikelihoodFromSquaredError`) gives on the same backend, bit for bit, and its
 * gradients to log σ² and every layer's weight and bias from one gradient kernel. Call only where
 * {@link canFuseMlpGaussianElbo} holds. `x` and the noise are data (no gradient).
 */
export function fusedMlpGaussianElbo(
  x: tf.Tensor2D,
  noise: tf.Tensor3D,
  logDecoderVariance: tf.Scalar,
  encoderLayers: readonly Dense[],
  decoderLayers: readonly Dense[],
  beta: number,
): tf.Scalar {
  const layers = [...encoderLayers, ...decoderLayers];
  const activations = activationCodes(layers);
  if (activations === undefined) throw new Error('fusedMlpGaussianElbo: every layer must be linear or relu');
  const attrs = { activations, encoderLayers: encoderLayers.length, beta };
  const parameters: tf.Tensor[] = [logDecoderVariance, ...layers.flatMap((layer) => [layer.weight, layer.bias])];
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [logVariance, ...weightsAndBiases] = args as tf.Tensor[];
    const inputs: tf.NamedTensorMap = { x, noise, logVariance: logVariance! };
    weightsAndBiases.forEach((t, j) => (inputs[`${j % 2 === 0 ? 'w' : 'b'}${j >> 1}`] = t));
    const [elbo, , , squaredError, precisionHalf, mean, scale, expm1, z, difference, ...hidden] = tf.engine().runKernel(MLP_GAUSSIAN_ELBO_KERNEL, inputs, attrs) as tf.Tensor[];
    const weights = weightsAndBiases.filter((_, j) => j % 2 === 0);
    // x and the noise too: tensors the backward pass reads must be saved, or an enclosing tidy frees them first.
    save([x, noise, logVariance!, squaredError!, precisionHalf!, mean!, scale!, expm1!, z!, difference!, ...weights, ...hidden]);
    return {
      value: elbo as tf.Scalar,
      gradFunc: (dy, saved) => {
        const [savedX, savedNoise, savedLogVariance, savedR, savedPrecisionHalf, savedMean, savedScale, savedExpm1, savedZ, savedDifference, ...rest] = saved;
        const gradInputs: tf.NamedTensorMap = {
          dy: dy as tf.Tensor, x: savedX!, noise: savedNoise!, logVariance: savedLogVariance!, squaredError: savedR!, precisionHalf: savedPrecisionHalf!,
          mean: savedMean!, scale: savedScale!, expm1: savedExpm1!, z: savedZ!, difference: savedDifference!,
        };
        rest.slice(0, layers.length).forEach((w, i) => (gradInputs[`w${i}`] = w));
        rest.slice(layers.length).forEach((h, k) => (gradInputs[`h${k}`] = h));
        return tf.engine().runKernel(MLP_GAUSSIAN_ELBO_GRAD_KERNEL, gradInputs, attrs) as tf.Tensor[];
      },
    };
  });
  return op(...parameters) as tf.Scalar;
}
