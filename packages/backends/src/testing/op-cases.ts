import * as tf from '@tensorflow/tfjs-core';
import {
  Bernoulli,
  ContinuousBernoulli,
  Normal,
  continuousBernoulliLogNormalizer,
  digamma,
  klDivergence,
  lgamma,
  log1mexp,
  logExpm1,
  softplus as stableSoftplus,
  softplusInverse,
  stopGradient,
} from '@trientropy/distributions';
import { LEAKY_RELU_SLOPE } from '@trientropy/models';
import { ELEMENTWISE, EXACT, REDUCTION, type Tolerance } from './tolerance.js';

/** A float32 input uniform in [low, high), or int32 indices in {0, …, indicesBelow − 1}. */
export type InputSpec = { shape: number[]; low: number; high: number } | { shape: number[]; indicesBelow: number };

/**
 * One op (or composite the distributions use) checked by the contract suite: its value, and its gradient
 * with respect to every float input for a random upstream gradient, must agree with the cpu backend.
 */
export interface OpCase {
  name: string;
  inputs: InputSpec[];
  fn: (...inputs: tf.Tensor[]) => tf.Tensor;
  value: Tolerance;
  /** Tolerance of the gradients; `null` for ops without a gradient in use. */
  gradient: Tolerance | null;
}

const x45 = { shape: [4, 5], low: -2, high: 2 };
const positive45 = { shape: [4, 5], low: 0.1, high: 3 };

/**
 * Every op the models (Dense/Mlp, GaussianEncoder, Vae1) and the distributions (Normal, KL) use, plus the
 * data-movement ops trainers use for batching. Inputs are kept away from kinks (0 for relu/abs) only by
 * chance of continuous sampling; domains are restricted where the op needs it (log, sqrt, division).
 */
export const OP_CASES: readonly OpCase[] = [
  // Matrix products: Dense layers, and the transposed products in matMul's own gradients.
  { name: 'matMul', inputs: [{ shape: [6, 7], low: -1, high: 1 }, { shape: [7, 5], low: -1, high: 1 }], fn: (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), value: REDUCTION, gradient: REDUCTION },
  { name: 'matMul transposeA', inputs: [{ shape: [7, 6], low: -1, high: 1 }, { shape: [7, 5], low: -1, high: 1 }], fn: (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, false), value: REDUCTION, gradient: REDUCTION },
  { name: 'matMul transposeB', inputs: [{ shape: [6, 7], low: -1, high: 1 }, { shape: [5, 7], low: -1, high: 1 }], fn: (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, false, true), value: REDUCTION, gradient: REDUCTION },
  { name: 'matMul transposeA+B', inputs: [{ shape: [7, 6], low: -1, high: 1 }, { shape: [5, 7], low: -1, high: 1 }], fn: (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, true), value: REDUCTION, gradient: REDUCTION },
  { name: 'matMul batched 3-D', inputs: [{ shape: [3, 4, 6], low: -1, high: 1 }, { shape: [3, 6, 2], low: -1, high: 1 }], fn: (a, b) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D), value: REDUCTION, gradient: REDUCTION },
  {
    name: 'fused.matMul + bias + relu',
    inputs: [{ shape: [6, 7], low: -1, high: 1 }, { shape: [7, 5], low: -1, high: 1 }, { shape: [5], low: -0.5, high: 0.5 }],
    fn: (a, b, bias) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias, activation: 'relu' }),
    value: REDUCTION,
    gradient: REDUCTION,
  },
  // Broadcasting arithmetic: bias adds, per-feature scales, losses.
  { name: 'add broadcast [4,5]+[5]', inputs: [x45, { shape: [5], low: -2, high: 2 }], fn: (a, b) => tf.add(a, b), value: ELEMENTWISE, gradient: REDUCTION },
  { name: 'add scalar', inputs: [x45], fn: (a) => tf.add(a, 0.5), value: ELEMENTWISE, gradient: ELEMENTWISE },
  { name: 'sub broadcast [4,1]-[1,5]', inputs: [{ shape: [4, 1], low: -2, high: 2 }, { shape: [1, 5], low: -2, high: 2 }], fn: (a, b) => tf.sub(a, b), value: ELEMENTWISE, gradient: REDUCTION },
  { name: 'mul broadcast [3,4,5]*[4,1]', inputs: [{ shape: [3, 4, 5], low: -2, high: 2 }, { shape: [4, 1], low: -2, high: 2 }], fn: (a, b) => tf.mul(a, b), value: ELEMENTWISE, gradient: REDUCTION },
  { name: 'div broadcast [4,5]/[5]', inputs: [x45, { shape: [5], low: 0.5, high: 2 }], fn: (a, b) => tf.div(a, b), value: ELEMENTWISE, gradient: REDUCTION },
  { name: 'maximum', inputs: [x45, x45], fn: (a, b) => tf.maximum(a, b), value: EXACT, gradient: ELEMENTWISE },
  // Element-wise maths.
  { name: 'neg', inputs: [x45], fn: (a) => tf.neg(a), value: EXACT, gradient: EXACT },
  { name: 'abs', inputs: [x45], fn: (a) => tf.abs(a), value: EXACT, gradient: ELEMENTWISE },
  { name: 'exp', inputs: [x45], fn: (a) => tf.exp(a), value: ELEMENTWISE, gradient: ELEMENTWISE },
  { name: 'log', inputs: [positive45], fn: (a) => tf.log(a), value: ELEMENTWISE, gradient: ELEMENTWISE },
  { name: 'log1p', inputs: [{ shape: [4, 5], low: -0.9, high: 3 }], fn: (a) => tf.log1p(a), value: ELEMENTWISE, gradient: ELEMENTWISE },
  { name: 'softplus', inputs: [{ shape: [4, 5], low: -8, high: 8 }], fn: (a) => tf.softplus(a), value: ELEMENTWISE, gradient: ELEMENTWISE },
  { name: 'sqrt', inputs: [positive45], fn: (a) => tf.sqrt(a), value: ELEMENTWISE, gradient: ELEMENTWISE },
  { name: 'square', inputs: [x45], fn: (a) => tf.square(a), value: ELEMENTWISE, gradient: ELEMENTWISE },
  { name: 'reciprocal', inputs: [positive45], fn: (a) => tf.reciprocal(a), value: ELEMENTWISE, gradient: ELEMENTWISE },
  { name: 'expm1', inputs: [x45], fn: (a) => tf.expm1(a), value: ELEMENTWISE, gradient: ELEMENTWISE },
  { name: 'floor', inputs: [{ shape: [4, 5], low: -4, high: 4 }], fn: (a) => tf.floor(a), value: EXACT, gradient: EXACT },
  { name: 'erf', inputs: [{ shape: [4, 5], low: -3, high: 3 }], fn: (a) => tf.erf(a), value: ELEMENTWISE, gradient: ELEMENTWISE },
  // Activations (models/src/activations.ts).
  { name: 'relu', inputs: [x45], fn: (a) => tf.relu(a), value: EXACT, gradient: EXACT },
  { name: `leakyRelu(${LEAKY_RELU_SLOPE})`, inputs: [x45], fn: (a) => tf.leakyRelu(a, LEAKY_RELU_SLOPE), value: ELEMENTWISE, gradient: ELEMENTWISE },
  { name: 'elu', inputs: [x45], fn: (a) => tf.elu(a), value: ELEMENTWISE, gradient: ELEMENTWISE },
  { name: 'tanh', inputs: [x45], fn: (a) => tf.tanh(a), value: ELEMENTWISE, gradient: ELEMENTWISE },
  { name: 'sigmoid', inputs: [{ shape: [4, 5], low: -6, high: 6 }], fn: (a) => tf.sigmoid(a), value: ELEMENTWISE, gradient: ELEMENTWISE },
  { name: 'sign', inputs: [x45], fn: (a) => tf.sign(a), value: EXACT, gradient: EXACT },
  { name: 'pow(positive, x)', inputs: [positive45, { shape: [4, 5], low: -2, high: 2 }], fn: (a, b) => tf.pow(a, b), value: ELEMENTWISE, gradient: ELEMENTWISE },
  // Clipping: continuous-Bernoulli inputs, gradient-norm clipping in the trainers.
  { name: 'clipByValue', inputs: [x45], fn: (a) => tf.clipByValue(a, -1, 1), value: EXACT, gradient: EXACT },
  { name: 'minimum', inputs: [x45, x45], fn: (a, b) => tf.minimum(a, b), value: EXACT, gradient: ELEMENTWISE },
  // Selection and masks: tf.where picks stable branches in the distributions and the trainers' NaN guards.
  {
    name: 'where(greaterEqual(x, 0), a, b)',
    inputs: [x45, x45, x45],
    fn: (x, a, b) => tf.where(tf.greaterEqual(x, 0), a, b),
    value: EXACT,
    gradient: EXACT,
  },
  { name: 'less', inputs: [x45, x45], fn: (a, b) => tf.less(a, b), value: EXACT, gradient: null },
  { name: 'isFinite(log(x))', inputs: [{ shape: [4, 5], low: -1, high: 3 }], fn: (a) => tf.isFinite(tf.log(a)), value: EXACT, gradient: null },
  // Reductions: per-sample sums over features, batch means.
  { name: 'sum all', inputs: [{ shape: [8, 8], low: -2, high: 2 }], fn: (a) => tf.sum(a), value: REDUCTION, gradient: EXACT },
  { name: 'sum axis 0', inputs: [{ shape: [16, 5], low: -2, high: 2 }], fn: (a) => tf.sum(a, 0), value: REDUCTION, gradient: EXACT },
  { name: 'sum axis -1 keepDims', inputs: [{ shape: [3, 4, 9], low: -2, high: 2 }], fn: (a) => tf.sum(a, -1, true), value: REDUCTION, gradient: EXACT },
  { name: 'mean axis 1', inputs: [{ shape: [5, 12], low: -2, high: 2 }], fn: (a) => tf.mean(a, 1), value: REDUCTION, gradient: ELEMENTWISE },
  { name: 'mean all', inputs: [{ shape: [6, 7], low: -2, high: 2 }], fn: (a) => tf.mean(a), value: REDUCTION, gradient: ELEMENTWISE },
  { name: 'max axis 1', inputs: [{ shape: [5, 6], low: -2, high: 2 }], fn: (a) => tf.max(a, 1), value: EXACT, gradient: EXACT },
  { name: 'norm (euclidean, axis 0)', inputs: [{ shape: [6, 4], low: -2, high: 2 }], fn: (a) => tf.norm(a, 'euclidean', 0), value: REDUCTION, gradient: REDUCTION },
  { name: 'norm (euclidean, axis 1, keepDims)', inputs: [{ shape: [4, 6], low: -2, high: 2 }], fn: (a) => tf.norm(a, 'euclidean', 1, true), value: REDUCTION, gradient: REDUCTION },
  { name: 'logSumExp axis 1', inputs: [{ shape: [5, 6], low: -4, high: 4 }], fn: (a) => tf.logSumExp(a, 1), value: REDUCTION, gradient: REDUCTION },
  // Data movement.
  { name: 'reshape', inputs: [{ shape: [4, 6], low: -2, high: 2 }], fn: (a) => tf.reshape(a, [2, 3, 4]), value: EXACT, gradient: EXACT },
  { name: 'transpose', inputs: [{ shape: [4, 6], low: -2, high: 2 }], fn: (a) => tf.transpose(a), value: EXACT, gradient: EXACT },
  { name: 'slice', inputs: [{ shape: [5, 6], low: -2, high: 2 }], fn: (a) => tf.slice(a, [1, 2], [3, 3]), value: EXACT, gradient: EXACT },
  { name: 'concat axis 1', inputs: [{ shape: [4, 2], low: -2, high: 2 }, { shape: [4, 3], low: -2, high: 2 }], fn: (a, b) => tf.concat([a, b], 1), value: EXACT, gradient: EXACT },
  // gather is used for batching (trainers' shuffled mini-batches): no gradient flows through it, so it is
  // checked by value only. Its gradient needs the UnsortedSegmentSum kernel, which tfjs-backend-wasm 4.22
  // lacks (the wasm package tests that limitation separately).
  { name: 'gather axis 0', inputs: [{ shape: [6, 3], low: -2, high: 2 }, { shape: [9], indicesBelow: 6 }], fn: (a, i) => tf.gather(a, i as tf.Tensor1D, 0), value: EXACT, gradient: null },
  { name: 'stack', inputs: [{ shape: [4, 3], low: -2, high: 2 }, { shape: [4, 3], low: -2, high: 2 }], fn: (a, b) => tf.stack([a, b], 1), value: EXACT, gradient: EXACT },
  { name: 'split', inputs: [{ shape: [4, 6], low: -2, high: 2 }], fn: (a) => tf.mul(tf.split(a, [2, 4], 1)[1]!, 2), value: EXACT, gradient: EXACT },
  { name: 'expandDims', inputs: [{ shape: [4, 3], low: -2, high: 2 }], fn: (a) => tf.expandDims(a, 1), value: EXACT, gradient: EXACT },
  { name: 'tile', inputs: [{ shape: [2, 3], low: -2, high: 2 }], fn: (a) => tf.tile(a, [3, 1]), value: EXACT, gradient: REDUCTION },
  { name: 'broadcastTo', inputs: [{ shape: [1, 4], low: -2, high: 2 }], fn: (a) => tf.broadcastTo(a, [3, 4]), value: EXACT, gradient: REDUCTION },
  // Composites from @trientropy/distributions, as the VAE loss uses them.
  {
    name: 'Normal.fromLogVariance(...).logProb',
    inputs: [{ shape: [4, 5], low: -1, high: 1 }, { shape: [4, 5], low: -2, high: 1 }, { shape: [4, 5], low: -2, high: 2 }],
    fn: (loc, logVariance, x) => Normal.fromLogVariance(loc, logVariance, { validateArgs: false }).logProb(x),
    value: ELEMENTWISE,
    gradient: ELEMENTWISE,
  },
  {
    name: 'klDivergence(Normal, N(0,1))',
    inputs: [{ shape: [4, 3], low: -1, high: 1 }, { shape: [4, 3], low: -2, high: 1 }],
    fn: (loc, logVariance) => klDivergence(Normal.fromLogVariance(loc, logVariance, { validateArgs: false }), new Normal(0, 1, { validateArgs: false })),
    value: ELEMENTWISE,
    gradient: ELEMENTWISE,
  },
  {
    name: 'Bernoulli({ logits }).logProb',
    inputs: [{ shape: [4, 5], low: -4, high: 4 }, { shape: [4, 5], low: 0, high: 1 }],
    fn: (logits, x) => new Bernoulli({ logits }, { validateArgs: false }).logProb(tf.round(x)),
    value: ELEMENTWISE,
    gradient: ELEMENTWISE,
  },
  {
    name: 'ContinuousBernoulli({ logits }).logProb',
    inputs: [{ shape: [4, 5], low: -4, high: 4 }, { shape: [4, 5], low: 0.01, high: 0.99 }],
    fn: (logits, x) => new ContinuousBernoulli({ logits }, { validateArgs: false }).logProb(x),
    value: REDUCTION,
    gradient: REDUCTION,
  },
  // Special functions of @trientropy/distributions (custom gradients and series): composites of 10-40 float
  // operations whose rounding errors add up, hence REDUCTION rather than ELEMENTWISE.
  { name: 'stopGradient (customGrad)', inputs: [x45], fn: (a) => tf.mul(stopGradient(a), a), value: EXACT, gradient: ELEMENTWISE },
  { name: 'softplus (distributions, custom gradient)', inputs: [{ shape: [4, 5], low: -20, high: 20 }], fn: (a) => stableSoftplus(a), value: ELEMENTWISE, gradient: ELEMENTWISE },
  { name: 'softplusInverse', inputs: [{ shape: [4, 5], low: 0.05, high: 10 }], fn: (a) => softplusInverse(a), value: REDUCTION, gradient: REDUCTION },
  { name: 'log1mexp', inputs: [{ shape: [4, 5], low: 0.01, high: 5 }], fn: (a) => log1mexp(a), value: REDUCTION, gradient: REDUCTION },
  { name: 'logExpm1', inputs: [{ shape: [4, 5], low: 0.01, high: 10 }], fn: (a) => logExpm1(a), value: REDUCTION, gradient: REDUCTION },
  { name: 'lgamma', inputs: [{ shape: [4, 5], low: 0.2, high: 8 }], fn: (a) => lgamma(a), value: REDUCTION, gradient: REDUCTION },
  { name: 'digamma', inputs: [{ shape: [4, 5], low: 0.2, high: 8 }], fn: (a) => digamma(a), value: REDUCTION, gradient: REDUCTION },
  { name: 'continuousBernoulliLogNormalizer', inputs: [{ shape: [4, 5], low: -6, high: 6 }], fn: (a) => continuousBernoulliLogNormalizer(a), value: REDUCTION, gradient: REDUCTION },
  {
    name: 'Normal.cdf',
    inputs: [{ shape: [4, 5], low: -1, high: 1 }, { shape: [4, 5], low: 0.5, high: 2 }, { shape: [4, 5], low: -3, high: 3 }],
    fn: (loc, scale, x) => new Normal(loc, scale, { validateArgs: false }).cdf(x),
    value: ELEMENTWISE,
    // Value only: Normal.cdf selects its branch with tf.where(tf.less(x, 0), ...), and tfjs has no gradient
    // for Less, so tf.grads through cdf throws on every backend (cpu included).
    gradient: null,
  },
];
