import * as tf from '@tensorflow/tfjs-core';
import { Normal } from '@trientropy/distributions';
import type { ActivationName } from './activations.js';
import type { EncoderOutput, LatentEncoder } from './latent-encoder.js';
import { Mlp } from './mlp.js';
import type { Dense } from './dense.js';

export type { EncoderOutput } from './latent-encoder.js';

/** Configuration of a {@link GaussianEncoder}. */
export interface GaussianEncoderConfig {
  dataDim: number;
  latentDim: number;
  hiddenSizes: readonly number[];
  activation: ActivationName;
  /** Initial bias of the log-variance outputs. */
  logVarianceBiasInit: number;
  seed: number;
  name: string;
}

/**
 * Diagonal Gaussian encoder `q(z|x) = N(ν(x), diag τ²(x))`: an MLP `D → hidden… → 2H` whose linear output
 * layer gives ν (first H) and log τ² (last H), as in the authors' verification code. Linear heads let the
 * encoder rescale each latent's mean and standard deviation by a common factor, which the theorem's
 * stationarity argument uses (arXiv 2010.14860, VAE-1 section); the log-variance keeps τ² > 0 without clipping.
 */
export class GaussianEncoder implements LatentEncoder {
  readonly latentDim: number;
  private readonly net: Mlp;

  constructor(config: GaussianEncoderConfig) {
    this.latentDim = config.latentDim;
    const h = config.latentDim;
    this.net = new Mlp({
      inputSize: config.dataDim,
      hiddenSizes: config.hiddenSizes,
      outputSize: 2 * h,
      activation: config.activation,
      outputBiasInit: [...new Array<number>(h).fill(0), ...new Array<number>(h).fill(config.logVarianceBiasInit)],
      seed: config.seed,
      name: config.name,
    });
  }

  /** ν(x) and log τ²(x), each [n, H]. `x` is data: no gradient flows back to it. */
  encode(x: tf.Tensor2D): EncoderOutput {
    return tf.tidy(() => {
      const out = this.net.apply(x, { inputGradient: false });
      const [mean, logVariance] = tf.split(out, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
      return { mean, logVariance };
    });
  }

  /** q(z|x) as a distribution (no argument validation: used inside training steps). */
  posterior(output: EncoderOutput): Normal {
    return Normal.fromLogVariance(output.mean, output.logVariance, { validateArgs: false });
  }

  /** The encoder MLP's layers, input first; the last one's 2H outputs are ν and log τ². */
  get layers(): readonly Dense[] {
    return this.net.layers;
  }

  /** Every variable of the encoder MLP. */
  variables(): tf.Variable[] {
    return this.net.variables();
  }

  /** Variables under `<prefix>/layer<i>/{weight,bias}`. */
  namedVariables(prefix: string): Record<string, tf.Variable> {
    return this.net.namedVariables(prefix);
  }

  /** ν_h, τ_h ← c_h·ν_h, c_h·τ_h for every input (edits the linear output layer). */
  rescaleLatents(c: tf.Tensor1D): void {
    const output = this.net.layers[this.net.layers.length - 1]!;
    tf.tidy(() => {
      // Columns [0, H) give ν (scaled by c); columns [H, 2H) give log τ² (shifted by 2 log c).
      const weightScale = tf.concat([c, tf.ones([this.latentDim])]);
      const biasShift = tf.concat([tf.zeros([this.latentDim]), tf.mul(tf.log(c), 2)]);
      output.weight.assign(tf.mul(output.weight, weightScale));
      output.bias.assign(tf.add(tf.mul(output.bias, weightScale), biasShift));
    });
  }
}
