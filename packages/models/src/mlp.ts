import * as tf from '@tensorflow/tfjs-core';
import type { ActivationName } from './activations.js';
import { Dense, type DenseApplyOptions } from './dense.js';
import { deriveSeed } from '@trientropy/distributions';

/** Configuration of a multi-layer perceptron. */
export interface MlpConfig {
  inputSize: number;
  /** Sizes of the hidden layers, in order; may be empty (a single affine layer). */
  hiddenSizes: readonly number[];
  outputSize: number;
  /** Activation after every hidden layer. */
  activation: ActivationName;
  /** Activation of the output layer. Default 'linear'. */
  outputActivation?: ActivationName;
  /** Initial bias of the output layer, one value or one per output. Default 0. */
  outputBiasInit?: number | readonly number[];
  seed: number;
  name: string;
}

/** A stack of {@link Dense} layers; layer i is seeded with `seed + i`. */
export class Mlp {
  readonly layers: readonly Dense[];

  constructor(config: MlpConfig) {
    const sizes = [config.inputSize, ...config.hiddenSizes, config.outputSize];
    const layers: Dense[] = [];
    for (let i = 0; i < sizes.length - 1; i++) {
      const isOutput = i === sizes.length - 2;
      layers.push(
        new Dense({
          inputSize: sizes[i]!,
          outputSize: sizes[i + 1]!,
          activation: isOutput ? (config.outputActivation ?? 'linear') : config.activation,
          seed: deriveSeed(config.seed, i),
          biasInit: isOutput ? (config.outputBiasInit ?? 0) : 0,
          name: `${config.name}/layer${i}`,
        }),
      );
    }
    this.layers = layers;
  }

  /**
   * The network's output for a batch [n, inputSize]. `options.inputGradient` is passed to the first layer
   * (`false` for data: no gradient to x is computed); later layers always pass gradients back.
   */
  apply(x: tf.Tensor2D, options: DenseApplyOptions = {}): tf.Tensor2D {
    return tf.tidy(() => this.layers.reduce((h, layer, i) => layer.apply(h, i === 0 ? options : {}), x));
  }

  /** Every layer's weight and bias, in order. */
  variables(): tf.Variable[] {
    return this.layers.flatMap((layer) => layer.variables());
  }

  /** The variables under stable, model-local names `<prefix>/layer<i>/{weight,bias}` (used by save/load). */
  namedVariables(prefix: string): Record<string, tf.Variable> {
    const named: Record<string, tf.Variable> = {};
    this.layers.forEach((layer, i) => {
      named[`${prefix}/layer${i}/weight`] = layer.weight;
      named[`${prefix}/layer${i}/bias`] = layer.bias;
    });
    return named;
  }
}
