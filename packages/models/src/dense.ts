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

/** Options of {@link Dense.apply}. */
export interface DenseApplyOptions {
  /**
   * Whether gradients must flow back to the input `x`. `false` for data (an encoder's first layer): the
   * backward pass then skips the `dy Wᵀ` product, and a gradient of the output with respect to `x` is
   * refused by tfjs ("Cannot compute gradient … with respect to x"). Default true.
   */
  inputGradient?: boolean;
}

/** Activations fused into the layer's own kernel and gradient; the others are applied after it by tfjs. */
type FusedActivation = 'linear' | 'relu';

/**
 * `x W + b`, with the activation where the backend's `_FusedMatMul` kernel has it, as one kernel call. The
 * kernel is called directly because `tf.fused.matMul` refuses to fuse an activation while a gradient tape
 * records; the tape never sees it here, since the layer brings its own gradient.
 */
function affine(x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D, activation: FusedActivation): tf.Tensor2D {
  const [rows, inner] = x.shape;
  const outer = weight.shape[1];
  if (tf.getKernel('_FusedMatMul', tf.getBackend()) === undefined) {
    const linear = tf.add(tf.matMul(x, weight), bias) as tf.Tensor2D;
    return activation === 'relu' ? tf.relu(linear) : linear;
  }
  if (tf.getBackend() === 'native') {
    // @trientropy/backend-native's kernel takes 2-D operands: four Reshape kernels fewer per layer, and no
    // reshaped alias of the weight stays alive until the step's tidy ends (its fused Adam updates a weight in
    // place only when nothing else holds it).
    return tf.engine().runKernel('_FusedMatMul', { a: x, b: weight, bias }, { transposeA: false, transposeB: false, activation }) as tf.Tensor2D;
  }
  const a = tf.reshape(x, [1, rows, inner]);
  const b = tf.reshape(weight, [1, inner, outer]);
  const out = tf.engine().runKernel('_FusedMatMul', { a, b, bias }, { transposeA: false, transposeB: false, activation }) as tf.Tensor3D;
  return tf.reshape(out, [rows, outer]);
}

/**
 * `opA(a)·opB(b)`. tfjs-backend-wasm runs a matMul with a transpose flag in a scalar loop (~2 against ~15 GFLOP/s
 * in XNNPACK), so there the operand is transposed explicitly (one copy) and the product is a plain matMul; other
 * backends (cpu, tfjs-node, the native BLAS backend) take the flags at full speed, and a copy would only cost.
 */
function product(a: tf.Tensor2D, b: tf.Tensor2D, transposeA: boolean, transposeB: boolean): tf.Tensor2D {
  if (tf.getBackend() !== 'wasm') return tf.matMul(a, b, transposeA, transposeB);
  return tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b);
}

/**
 * A kernel that does a layer's whole backward pass in one call, where the active backend has it (today
 * @trientropy/backend-native's `native`; see its DENSE_GRAD_KERNEL for the contract): the same arithmetic as
 * the Step, Multiply, matMul and Sum kernels below, bit for bit. Named here rather than imported, because
 * backends sit at the edge and nothing depends on them.
 */
const DENSE_GRAD_KERNEL = 'TrientropyDenseGrad';

/** `[dx?, dW, db]` from the fused kernel, or undefined where the backend has none. */
function fusedGradients(dy: tf.Tensor2D, x: tf.Tensor2D, weight: tf.Tensor2D | undefined, y: tf.Tensor2D, activation: FusedActivation): tf.Tensor[] | undefined {
  if (tf.getKernel(DENSE_GRAD_KERNEL, tf.getBackend()) === undefined) return undefined;
  const inputs: tf.NamedTensorMap = { dy, x };
  if (weight !== undefined) inputs['w'] = weight;
  if (activation === 'relu') inputs['y'] = y;
  return tf.engine().runKernel(DENSE_GRAD_KERNEL, inputs, { inputGradient: weight !== undefined }) as tf.Tensor[];
}

/** dL/d(pre-activation) from dL/dy and the layer's output y: ReLU passes dy where y > 0 (tfjs's own ReLU rule). */
function preActivationGradient(dy: tf.Tensor2D, y: tf.Tensor2D, activation: FusedActivation): tf.Tensor2D {
  return activation === 'relu' ? (tf.mul(dy, tf.step(y)) as tf.Tensor2D) : dy;
}

/**
 * `y = activation(x W + b)` on tfjs-core variables. Weights use Glorot-uniform initialisation,
 * `U(−√(6/(in+out)), √(6/(in+out)))`, drawn from `seed`; biases start at `biasInit`.
 *
 * The layer has its own gradient (`tf.customGrad`): `dW = xᵀ·δ`, `db = Σ_rows δ`, `dx = δ·Wᵀ` (skipped for a data
 * input), on wasm with the transposes made explicit and every product a plain matMul, because tfjs's matMul
 * gradient passes transpose flags and tfjs-backend-wasm then leaves XNNPACK for a scalar loop (~2 against
 * ~15 GFLOP/s). The values equal tfjs's own gradients up to float32 rounding (dense.test.ts checks it). Bias and
 * ReLU are fused into the forward kernel; other activations are applied after the layer with tfjs's gradients.
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
  apply(x: tf.Tensor2D, options: DenseApplyOptions = {}): tf.Tensor2D {
    const fused: FusedActivation = this.activation === 'relu' ? 'relu' : 'linear';
    const weight = this.weight as tf.Tensor2D;
    const bias = this.bias as tf.Tensor1D;
    return tf.tidy(() => {
      let out: tf.Tensor2D;
      if (options.inputGradient === false) {
        // x is not an input of the gradient node: the tape then asks for dW and db only.
        const layer = tf.customGrad((w, b, save) => {
          const y = affine(x, w as tf.Tensor2D, b as tf.Tensor1D, fused);
          (save as tf.GradSaveFunc)([x, y]);
          return {
            value: y,
            gradFunc: (dy, saved) => {
              const [input, output] = saved as [tf.Tensor2D, tf.Tensor2D];
              const fusedGrads = fusedGradients(dy as tf.Tensor2D, input, undefined, output, fused);
              if (fusedGrads !== undefined) return fusedGrads;
              const delta = preActivationGradient(dy as tf.Tensor2D, output, fused);
              return [product(input, delta, true, false), tf.sum(delta, 0)];
            },
          };
        });
        out = layer(weight, bias) as tf.Tensor2D;
      } else {
        const layer = tf.customGrad((input, w, b, save) => {
          const y = affine(input as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D, fused);
          (save as tf.GradSaveFunc)([input as tf.Tensor2D, w as tf.Tensor2D, y]);
          return {
            value: y,
            gradFunc: (dy, saved) => {
              const [savedInput, savedWeight, output] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
              const fusedGrads = fusedGradients(dy as tf.Tensor2D, savedInput, savedWeight, output, fused);
              if (fusedGrads !== undefined) return fusedGrads;
              const delta = preActivationGradient(dy as tf.Tensor2D, output, fused);
              return [product(delta, savedWeight, false, true), product(savedInput, delta, true, false), tf.sum(delta, 0)];
            },
          };
        });
        out = layer(x, weight, bias) as tf.Tensor2D;
      }
      return fused === this.activation ? out : (applyActivation(this.activation, out) as tf.Tensor2D);
    });
  }

  /** Weight and bias. */
  variables(): tf.Variable[] {
    return [this.weight, this.bias];
  }
}
