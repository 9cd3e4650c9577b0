import { InvalidArgumentError } from '@trientropy/distributions';
import { show } from './config-checks.js';

/**
 * Size limits of a model, checked when its config is validated, before any tensor is allocated. A config
 * beyond them would not train anyway (tfjs' typed arrays and WebAssembly memory stop at 2^31–2^32 bytes)
 * and used to fail after minutes with "memory access out of bounds" or a heap out-of-memory abort.
 */
export const MODEL_SIZE_LIMITS = {
  /** Largest observed dimension D (2^20: e.g. 1024 × 1024 pixels). */
  dataDim: 2 ** 20,
  /** Largest latent dimension H. */
  latentDim: 2 ** 16,
  /** Largest hidden-layer width. */
  hiddenSize: 2 ** 16,
  /** Most hidden layers per network. */
  hiddenLayers: 64,
  /** Most parameters of a model (2^27 float32 values: 512 MiB, and 1.5 GiB more for Adam's moments). */
  parameters: 2 ** 27,
} as const;

/** `value` if it is an integer in [1, max], else an error naming `argument` and the limit. */
export function checkDimension(value: unknown, argument: string, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new InvalidArgumentError(argument, 'a positive integer', show(value));
  if (value > max) throw new InvalidArgumentError(argument, `a positive integer ≤ ${max} (the size limit of @trientropy/models)`, show(value));
  return value;
}

/** Number of weights and biases of a chain of dense layers of the given sizes (input first). */
export function denseChainParameters(sizes: readonly number[]): number {
  let total = 0;
  for (let i = 1; i < sizes.length; i++) total += sizes[i - 1]! * sizes[i]! + sizes[i]!;
  return total;
}

/** Throws if `parameters` (an estimate from the config, at most the model's true count) exceeds the limit. */
export function checkParameterCount(parameters: number, what: string): void {
  if (parameters > MODEL_SIZE_LIMITS.parameters) {
    throw new InvalidArgumentError('config', `a model of at most ${MODEL_SIZE_LIMITS.parameters} parameters (the size limit of @trientropy/models)`, `${what} with about ${parameters.toExponential(2)} parameters`);
  }
}
