import * as tf from '@tensorflow/tfjs-core';
import { type ActivationName, applyActivation } from './activations.js';
import { ownedVariable } from './owned-variable.js';
import { seededRandomUniform } from '@trientropy/distributions';

/** Configuration of one fully connected layer. */
export interface DenseConfig {
  inputSize: number;
  outputSize: number;
  activation: ActivationName;
  /** Seed of the weight initialisation. */
  seed: number;
  /** Initial bias: one value for every entry, or one per output. Default 0. */
  biasInit?: number | readonly number[];
  /** Variable-name prefix, unique per model (tfjs variable names are global). */
  name: string;
}

/**
 * `y = activation(x W + b)` on tfjs-core variables. Weights use Glorot-uniform initialisation,
 * `U(−√(6/(in+out)), √(6/(in+out)))`, drawn from `seed`; biases start at `biasInit`.
 */
export class Dense {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
  readonly activation: ActivationName;

  constructor(config: DenseConfig) {
    const limit = Math.sqrt(6 / (config.inputSize + config.outputSize));
    this.weight = ownedVariable(
      seededRandomUniform([config.inputSize, config.outputSize], config.seed, -limit, limit),
      true,
      `${config.name}/weight`,
    );
    const biasInit = config.biasInit ?? 0;
    if (typeof biasInit !== 'number' && biasInit.length !== config.outputSize) {
      throw new Error(`biasInit: expected ${config.outputSize} values, got ${biasInit.length}`);
    }
    const bias = typeof biasInit === 'number' ? tf.fill([config.outputSize], biasInit) : tf.tensor1d(biasInit as number[], 'float32');
    this.bias = ownedVariable(bias, true, `${config.name}/bias`);
    this.activation = config.activation;
  }

  /** The layer's output for a batch [n, inputSize]. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => applyActivation(this.activation, tf.add(tf.matMul(x, this.weight), this.bias)) as tf.Tensor2D);
  }

  /** Weight and bias. */
  variables(): tf.Variable[] {
    return [this.weight, this.bias];
  }
}
