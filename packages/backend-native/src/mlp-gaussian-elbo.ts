import * as tf from '@tensorflow/tfjs-core';
import { ACTIVATION_CODES, BINARY_CODES, UNARY_CODES } from './addon.js';
import type { NativeBackend } from './native-backend.js';

/**
 * Name of the native backend's whole-ELBO kernel for a Gaussian VAE built of dense ReLU/linear layers with the
 * standard prior and one scalar decoder variance (VAE-0, VAE-1). @trientropy/models' training objective runs it
 * where the active backend has it (`tf.getKernel(MLP_GAUSSIAN_ELBO_KERNEL, tf.getBackend())`), with
 * {@link MLP_GAUSSIAN_ELBO_GRAD_KERNEL} as its gradient, instead of the ~60 tfjs kernels of the layer-by-layer
 * ELBO and its gradients: tfjs's dispatch of each (tape, tidy, tensor bookkeeping, ~20–30 µs) was most of what a
 * training step spent outside the matrix products.
 *
 * - inputs `{ x, noise, logVariance, w0, b0, w1, b1, … }`: data x [n, D], the draws ε [S, n, H], log σ² (scalar),
 *   then every layer's weight [in, out] and bias [out], the encoder's layers first (its last layer's 2H outputs are
 *   ν and log τ², in that order), then the decoder's (its last layer gives μ [S·n, D]); float32;
 * - attrs `{ activations: number[], encoderLayers: number, beta: number }`: one ACTIVATION_CODES value per layer
 *   (linear or relu), how many layers are the encoder's, and β of `E_q log p(x|z) − β·KL`;
 * - outputs `[elbo, kl, expectedLogLikelihood, squaredError, precisionHalf, mean, scale, expm1, z, difference,
 *   ...hidden]`: the ELBO and its terms (scalars), exp(−log σ²)·½, ν, τ and expm1(log τ²) [n, H], z [S·n, H],
 *   x − μ [S·n, D], and the output of every layer but the encoder's and the decoder's last, in layer order — what
 *   the gradient reads.
 *
 * It calls the addon's kernels in the order, and with the arguments, that the layer-by-layer path's kernels do on
 * this backend (_FusedMatMul per layer, SplitV, TrientropyGaussianLatent, TrientropySquaredError, the scalar ops of
 * the log-likelihood, each rounded to float32), so its values are bit-identical to that path's
 * (mlp-gaussian-elbo.test.ts in @trientropy/models compares them).
 */
export const MLP_GAUSSIAN_ELBO_KERNEL = 'TrientropyMlpGaussianElbo';

/**
 * The gradient kernel of {@link MLP_GAUSSIAN_ELBO_KERNEL}: inputs `{ dy, x, noise, w0, …, precisionHalf, squaredError,
 * mean, scale, expm1, z, difference, h0, … }` (dy: d/d elbo, a scalar; the saved outputs as the forward kernel
 * returned them; `hidden` as `h0`, `h1`, …), attrs as the forward kernel's; outputs `[dLogVariance, dw0, db0, dw1,
 * db1, …]`. Bit-identical to the gradients tfjs's tape computes for the layer-by-layer path on this backend
 * (TrientropyDenseGrad per layer, Concat for SplitV, TrientropyGaussianLatentGrad, the squared error's and the
 * log-likelihood's gradients).
 */
export const MLP_GAUSSIAN_ELBO_GRAD_KERNEL = 'TrientropyMlpGaussianElboGrad';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs: tf.NamedAttrMap };

/** Layer sizes and attrs, checked against the inputs. */
interface ElboPlan {
  rows: number;
  samples: number;
  dataDim: number;
  latentDim: number;
  activations: number[];
  encoderLayers: number;
  beta: number;
  /** [in, out] of every layer. */
  sizes: [number, number][];
}

function fail(kernel: string, message: string): never {
  throw new Error(`${kernel}: ${message}`);
}

function float32Input(kernel: string, inputs: tf.NamedTensorInfoMap, name: string, shape: readonly number[]): tf.TensorInfo {
  const t = inputs[name];
  if (t === undefined) fail(kernel, `input ${name} is required`);
  if (t.dtype !== 'float32') fail(kernel, `${name}: expected float32, got ${t.dtype}`);
  if (!tf.util.arraysEqual(t.shape, shape as number[])) fail(kernel, `${name}: expected shape [${shape}], got [${t.shape}]`);
  return t;
}

function planElbo(kernel: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): ElboPlan {
  const activations = attrs['activations'];
  const encoderLayers = attrs['encoderLayers'];
  const beta = attrs['beta'];
  if (!Array.isArray(activations) || !activations.every((a) => a === ACTIVATION_CODES.linear || a === ACTIVATION_CODES.relu)) {
    fail(kernel, `attrs.activations: expected an array of ${ACTIVATION_CODES.linear} (linear) or ${ACTIVATION_CODES.relu} (relu), got ${JSON.stringify(activations)}`);
  }
  const layers = activations.length;
  if (typeof encoderLayers !== 'number' || !Number.isInteger(encoderLayers) || encoderLayers < 1 || encoderLayers >= layers) {
    fail(kernel, `attrs.encoderLayers: expected an integer in [1, ${layers - 1}], got ${String(encoderLayers)}`);
  }
  if (typeof beta !== 'number' || !Number.isFinite(beta)) fail(kernel, `attrs.beta: expected a finite number, got ${String(beta)}`);
  const x = inputs['x'];
  const noise = inputs['noise'];
  if (x === undefined || x.shape.length !== 2) fail(kernel, `x: expected [n, D], got ${x === undefined ? 'none' : `[${x.shape}]`}`);
  if (noise === undefined || noise.shape.length !== 3) fail(kernel, `noise: expected [S, n, H], got ${noise === undefined ? 'none' : `[${noise.shape}]`}`);
  const [rows, dataDim] = x.shape as [number, number];
  const [samples, , latentDim] = noise.shape as [number, number, number];
  if (rows < 1 || dataDim < 1 || samples < 1 || latentDim < 1) fail(kernel, `x [${x.shape}] and noise [${noise.shape}] must be non-empty`);
  float32Input(kernel, inputs, 'x', [rows, dataDim]);
  float32Input(kernel, inputs, 'noise', [samples, rows, latentDim]);
  float32Input(kernel, inputs, 'logVariance', []);
  const sizes: [number, number][] = [];
  for (let i = 0; i < layers; i++) {
    const w = inputs[`w${i}`];
    if (w === undefined || w.shape.length !== 2) fail(kernel, `w${i}: expected [in, out], got ${w === undefined ? 'none' : `[${w.shape}]`}`);
    const [inSize, outSize] = w.shape as [number, number];
    const expectedIn = i === 0 ? dataDim : i === encoderLayers ? latentDim : sizes[i - 1]![1];
    if (inSize !== expectedIn) fail(kernel, `w${i}: expected ${expectedIn} input rows, got [${w.shape}]`);
    if (i === encoderLayers - 1 && outSize !== 2 * latentDim) fail(kernel, `w${i}: the encoder's last layer must have 2H = ${2 * latentDim} outputs, got [${w.shape}]`);
    if (i === layers - 1 && outSize !== dataDim) fail(kernel, `w${i}: the decoder's last layer must have D = ${dataDim} outputs, got [${w.shape}]`);
    float32Input(kernel, inputs, `w${i}`, [inSize, outSize]);
    sizes.push([inSize, outSize]);
  }
  return { rows, samples, dataDim, latentDim, activations: activations as number[], encoderLayers, beta, sizes };
}

/** Rows of layer i's input and output: n in the encoder, S·n in the decoder. */
const rowsOf = (plan: ElboPlan, layer: number): number => (layer < plan.encoderLayers ? plan.rows : plan.samples * plan.rows);

/** Whether layer i's output is kept for the gradient (every layer's but the encoder's last and the decoder's last). */
const keepsOutput = (plan: ElboPlan, layer: number): boolean => layer !== plan.encoderLayers - 1 && layer !== plan.sizes.length - 1;

const f32 = Math.fround;

/** One float32 value through the addon's unary kernel (so that exp rounds exactly as the Exp kernel does). */
function unaryScalar(backend: NativeBackend, op: number, value: number): number {
  const out = new Float32Array(1);
  backend.addon.unary(op, Float32Array.of(value), out, 0);
  return out[0]!;
}

/** The kernel function of {@link MLP_GAUSSIAN_ELBO_KERNEL} on the native backend. */
export function mlpGaussianElbo({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const plan = planElbo(MLP_GAUSSIAN_ELBO_KERNEL, inputs, attrs);
  const { rows, samples, dataDim, latentDim: h, sizes, activations, encoderLayers } = plan;
  const x = backend.readFloat32(inputs['x']!);
  const hidden: tf.TensorInfo[] = [];
  const scratch: Float32Array[] = [];
  let layerInput = x;
  let mean: Float32Array | undefined;
  let scale: Float32Array | undefined;
  let expm1: Float32Array | undefined;
  let z: Float32Array | undefined;
  const kl = new Float32Array(1);
  for (let i = 0; i < sizes.length; i++) {
    const [inSize, outSize] = sizes[i]!;
    const m = rowsOf(plan, i);
    const out = backend.allocate(m * outSize);
    const bias = backend.readFloat32(float32Input(MLP_GAUSSIAN_ELBO_KERNEL, inputs, `b${i}`, [outSize]));
    backend.addon.matMul(layerInput, backend.readFloat32(inputs[`w${i}`]!), out, 1, 1, 1, m, outSize, inSize, false, false, bias, activations[i]!, 0);
    if (keepsOutput(plan, i)) hidden.push(backend.output(out, [m, outSize]));
    else scratch.push(out);
    layerInput = out;
    if (i === encoderLayers - 1) {
      // SplitV of [n, 2H] into ν and log τ², as the native SplitV copies them; then the latent block.
      mean = backend.allocate(rows * h);
      const logVariance = backend.allocate(rows * h);
      const extent = Int32Array.of(rows, h);
      const strides = Int32Array.of(2 * h, 1);
      backend.addon.strided(out, 0, mean, extent, strides);
      backend.addon.strided(out, h, logVariance, extent, strides);
      z = backend.allocate(samples * rows * h);
      scale = backend.allocate(rows * h);
      expm1 = backend.allocate(rows * h);
      backend.addon.gaussianLatent(mean, logVariance, backend.readFloat32(inputs['noise']!), z, kl, scale, expm1, rows, samples, h);
      scratch.push(logVariance);
      layerInput = z;
    }
  }
  const difference = backend.allocate(samples * rows * dataDim);
  const squaredError = new Float32Array(1);
  backend.addon.squaredError(x, layerInput, difference, squaredError, rows, samples, dataDim);
  for (const values of scratch) backend.releaseScratch(values);
  // gaussianLogLikelihoodFromSquaredError's scalar ops, each rounded to float32 as the kernels round them.
  const logVariance = backend.readFloat32(inputs['logVariance']!)[0]!;
  const r = squaredError[0]!;
  const precisionHalf = f32(unaryScalar(backend, UNARY_CODES.exp, -logVariance) * 0.5);
  const expectedLogLikelihood = f32(f32(f32(logVariance + f32(Math.log(2 * Math.PI))) * f32(-0.5 * dataDim)) - f32(precisionHalf * r));
  const elbo = f32(expectedLogLikelihood - f32(kl[0]! * f32(plan.beta)));
  const scalar = (value: number): tf.TensorInfo => backend.output(Float32Array.of(value), []);
  return [
    scalar(elbo), backend.output(kl, []), scalar(expectedLogLikelihood), backend.output(squaredError, []), scalar(precisionHalf),
    backend.output(mean!, [rows, h]), backend.output(scale!, [rows, h]), backend.output(expm1!, [rows, h]), backend.output(z!, [samples * rows, h]),
    backend.output(difference, [samples * rows, dataDim]), ...hidden,
  ];
}

/** The kernel function of {@link MLP_GAUSSIAN_ELBO_GRAD_KERNEL} on the native backend. */
export function mlpGaussianElboGrad({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const kernel = MLP_GAUSSIAN_ELBO_GRAD_KERNEL;
  const plan = planElbo(kernel, inputs, attrs);
  const { rows, samples, dataDim, latentDim: h, sizes, activations, encoderLayers } = plan;
  const sampleRows = samples * rows;
  const dy = backend.readFloat32(float32Input(kernel, inputs, 'dy', []))[0]!;
  const precisionHalf = backend.readFloat32(float32Input(kernel, inputs, 'precisionHalf', []))[0]!;
  const r = backend.readFloat32(float32Input(kernel, inputs, 'squaredError', []))[0]!;
  const read = (name: string, shape: readonly number[]): Float32Array => backend.readFloat32(float32Input(kernel, inputs, name, shape));
  const mean = read('mean', [rows, h]);
  const scale = read('scale', [rows, h]);
  const expm1 = read('expm1', [rows, h]);
  const z = read('z', [sampleRows, h]);
  const difference = read('difference', [sampleRows, dataDim]);
  const noise = read('noise', [samples, rows, h]);
  const x = backend.readFloat32(inputs['x']!);
  // Outputs of the layers that keep theirs, by layer index.
  const outputs = new Map<number, Float32Array>();
  for (let i = 0, k = 0; i < sizes.length; i++) {
    if (keepsOutput(plan, i)) outputs.set(i, read(`h${k++}`, [rowsOf(plan, i), sizes[i]![1]]));
  }
  const inputOf = (i: number): Float32Array => (i === 0 ? x : i === encoderLayers ? z : outputs.get(i - 1)!);

  // Sub(ell, Mul(kl, β)) and the log-likelihood's and the squared error's own gradients, as their ops round them.
  const dKl = f32(-dy * f32(plan.beta));
  const dLogVariance = f32(dy * f32(f32(precisionHalf * r) + f32(-0.5 * dataDim)));
  const dR = f32(dy * -precisionHalf);
  const muScale = f32(f32(dR / f32(sampleRows)) * -2);
  let dOut = backend.allocate(sampleRows * dataDim);
  backend.addon.binary(BINARY_CODES.mul, difference, Float32Array.of(muScale), dOut, Int32Array.of(sampleRows * dataDim), Int32Array.of(1), Int32Array.of(0));

  const grads: tf.TensorInfo[] = new Array<tf.TensorInfo>(2 * sizes.length);
  const scratch: Float32Array[] = [];
  for (let i = sizes.length - 1; i >= 0; i--) {
    const [inSize, outSize] = sizes[i]!;
    const n = rowsOf(plan, i);
    const relu = activations[i] === ACTIVATION_CODES.relu;
    const delta = relu ? backend.allocate(n * outSize) : dOut;
    const dx = i === 0 ? null : backend.allocate(n * inSize);
    const dw = backend.allocate(inSize * outSize);
    const db = backend.allocate(outSize);
    const w = i === 0 ? null : read(`w${i}`, [inSize, outSize]);
    backend.addon.denseGrad(dOut, inputOf(i), w, relu ? outputs.get(i) ?? fail(kernel, `layer ${i} is relu but its output is not kept`) : null, delta, dx, dw, db, n, inSize, outSize);
    if (delta !== dOut) scratch.push(delta);
    scratch.push(dOut);
    grads[2 * i] = backend.output(dw, [inSize, outSize]);
    grads[2 * i + 1] = backend.output(db, [outSize]);
    if (i === encoderLayers) {
      // dx is dz: the latent block's gradient, then Concat (SplitV's gradient) of dν and d log τ².
      const dMean = backend.allocate(rows * h);
      const dLogTau = backend.allocate(rows * h);
      backend.addon.gaussianLatentGrad(mean, scale, expm1, noise, dx!, Float32Array.of(dKl), dMean, dLogTau, rows, samples, h);
      scratch.push(dx!);
      const dEncoderOut = backend.allocate(rows * 2 * h);
      backend.addon.concat([dMean, dLogTau], dEncoderOut, rows);
      scratch.push(dMean, dLogTau);
      dOut = dEncoderOut;
    } else if (dx !== null) {
      dOut = dx;
    }
  }
  for (const values of scratch) backend.releaseScratch(values);
  return [backend.output(Float32Array.of(dLogVariance), []), ...grads];
}
