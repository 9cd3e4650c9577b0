import * as tf from '@tensorflow/tfjs-core';
import { ACTIVATION_CODES, BINARY_CODES, REDUCE_CODES, UNARY_CODES } from './addon.js';
import type { NativeBackend } from './native-backend.js';

/** A kernel of the native backend: native where it applies, the cpu kernel `fallback` otherwise. */
type NativeKernel = (args: { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs: tf.NamedAttrMap }, fallback: tf.KernelFunc) => tf.TensorInfo | tf.TensorInfo[];

/**
 * Whether every given tensor is float32 and stored as a Float32Array. The second condition is not implied by
 * the first: the cpu backend casts bool and int32 to float32 without copying, so a float32 tensor may hold a
 * Uint8Array or Int32Array; those go to the cpu kernels, which read any typed array.
 */
function allFloat32(backend: NativeBackend, ...tensors: (tf.TensorInfo | undefined)[]): boolean {
  return tensors.every((t) => t === undefined || (t.dtype === 'float32' && backend.data.get(t.dataId).values instanceof Float32Array));
}
const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

// ---------------------------------------------------------------------------------------------------------
// Matrix products

interface MatMulPlan {
  outShape: number[];
  batch: number;
  batchA: number;
  batchB: number;
  m: number;
  n: number;
  k: number;
}

/** Shapes of a (batched) matrix product, checked as tfjs's cpu BatchMatMul checks them. */
function planMatMul(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): MatMulPlan {
  const aRank = a.shape.length;
  const bRank = b.shape.length;
  const k = transposeA ? a.shape[aRank - 2]! : a.shape[aRank - 1]!;
  const kB = transposeB ? b.shape[bRank - 1]! : b.shape[bRank - 2]!;
  const m = transposeA ? a.shape[aRank - 1]! : a.shape[aRank - 2]!;
  const n = transposeB ? b.shape[bRank - 2]! : b.shape[bRank - 1]!;
  const batchA = size(a.shape.slice(0, -2));
  const batchB = size(b.shape.slice(0, -2));
  const outerDims = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  tf.util.assert(
    k === kB,
    () => `Error in matMul: inner shapes (${k}) and (${kB}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
  );
  const batch = Math.max(batchA, batchB);
  // The cpu kernel pairs batch i of the output with batch i % batchA of a and i % batchB of b.
  tf.util.assert(batchA === batch || batchA === 1 || batchB === batch || batchB === 1, () => `matMul: batch sizes ${batchA} and ${batchB} do not broadcast`);
  return { outShape: [...outerDims, m, n], batch, batchA, batchB, m, n, k };
}

function runMatMul(backend: NativeBackend, a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean, bias: Float32Array | null, activation: number, alpha: number): tf.TensorInfo {
  const plan = planMatMul(a, b, transposeA, transposeB);
  const out = backend.allocate(size(plan.outShape));
  backend.addon.matMul(backend.values(a), backend.values(b), out, plan.batch, plan.batchA, plan.batchB, plan.m, plan.n, plan.k, transposeA, transposeB, bias, activation, alpha);
  return backend.output(out, plan.outShape);
}

const batchMatMul: NativeKernel = ({ inputs, backend, attrs }, fallback) => {
  const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  if (!allFloat32(backend, a, b)) return fallback({ inputs, backend, attrs });
  return runMatMul(backend, a, b, attrs['transposeA'] === true, attrs['transposeB'] === true, null, ACTIVATION_CODES.linear, 0);
};

/** Whether a bias adds one value per output column (shape [n], [1, n], …) or one value overall. */
function biasIsRowVector(bias: tf.TensorInfo, n: number): boolean {
  const s = size(bias.shape);
  return s === 1 || (s === n && bias.shape[bias.shape.length - 1] === n);
}

const fusedMatMul: NativeKernel = ({ inputs, backend, attrs }, fallback) => {
  const { a, b, bias, preluActivationWeights } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo; bias?: tf.TensorInfo; preluActivationWeights?: tf.TensorInfo };
  const activation = (attrs['activation'] as string | undefined) ?? 'linear';
  const transposeA = attrs['transposeA'] === true;
  const transposeB = attrs['transposeB'] === true;
  const code = (ACTIVATION_CODES as Record<string, number>)[activation];
  const n = transposeB ? b.shape[b.shape.length - 2]! : b.shape[b.shape.length - 1]!;
  // The bias must not change the output's shape (it does when it has more dimensions than the product).
  const biasFits = bias === undefined || (biasIsRowVector(bias, n) && bias.shape.length <= Math.max(a.shape.length, b.shape.length));
  if (!allFloat32(backend, a, b, bias) || preluActivationWeights !== undefined || code === undefined || !biasFits) return fallback({ inputs, backend, attrs });
  const alpha = activation === 'leakyrelu' ? ((attrs['leakyreluAlpha'] as number | undefined) ?? 0.2) : 0;
  return runMatMul(backend, a, b, transposeA, transposeB, bias === undefined ? null : backend.values(bias), code, alpha);
};

// ---------------------------------------------------------------------------------------------------------
// Broadcasting binary ops

/**
 * Output shape and per-dimension element strides of `a` and `b` broadcast against each other, with
 * dimensions of size 1 dropped and neighbours merged wherever both operands are contiguous (or both
 * broadcast) across them, so that the addon's loop has as few levels as possible.
 */
function broadcastStrides(aShape: readonly number[], bShape: readonly number[]): BroadcastPlan {
  const key = `${aShape.join(',')}|${bShape.join(',')}`;
  const cached = broadcastPlans.get(key);
  if (cached !== undefined) return cached;
  const plan = planBroadcast(aShape, bShape);
  if (broadcastPlans.size >= BROADCAST_PLANS_MAX) broadcastPlans.clear();
  broadcastPlans.set(key, plan);
  return plan;
}

/** A broadcast plan: read-only once made (the stride arrays go to the addon as they are, every call). */
interface BroadcastPlan {
  readonly outShape: readonly number[];
  readonly shape: Int32Array;
  readonly aStrides: Int32Array;
  readonly bStrides: Int32Array;
}

/**
 * Plans by operand shapes: a training step repeats the same few dozen shape pairs, and three fresh small
 * Int32Arrays per call cost more than the product of two scalars (V8 moves each onto the C heap when the addon
 * first reads it).
 */
const broadcastPlans = new Map<string, BroadcastPlan>();
const BROADCAST_PLANS_MAX = 4096;

function planBroadcast(aShape: readonly number[], bShape: readonly number[]): BroadcastPlan {
  const outShape = tf.backend_util.assertAndGetBroadcastShape(aShape as number[], bShape as number[]);
  const rank = outShape.length;
  const stridesOf = (shape: readonly number[]): number[] => {
    const strides = new Array<number>(rank).fill(0);
    let stride = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      const outD = d + rank - shape.length;
      strides[outD] = shape[d] === 1 ? 0 : stride;
      stride *= shape[d]!;
    }
    return strides;
  };
  const aFull = stridesOf(aShape);
  const bFull = stridesOf(bShape);
  const dims: number[] = [];
  const as: number[] = [];
  const bs: number[] = [];
  for (let d = 0; d < rank; d++) {
    const extent = outShape[d]!;
    if (extent === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && as[last] === aFull[d]! * extent && bs[last] === bFull[d]! * extent) {
      dims[last] = dims[last]! * extent;
      as[last] = aFull[d]!;
      bs[last] = bFull[d]!;
    } else {
      dims.push(extent);
      as.push(aFull[d]!);
      bs.push(bFull[d]!);
    }
  }
  if (dims.length === 0) {
    dims.push(1);
    as.push(0);
    bs.push(0);
  }
  return { outShape, shape: Int32Array.from(dims), aStrides: Int32Array.from(as), bStrides: Int32Array.from(bs) };
}

function binaryKernel(op: number): NativeKernel {
  return ({ inputs, backend, attrs }, fallback) => {
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    if (!allFloat32(backend, a, b)) return fallback({ inputs, backend, attrs });
    const plan = broadcastStrides(a.shape, b.shape);
    if (plan.shape.length > 8) return fallback({ inputs, backend, attrs });
    const out = backend.allocate(size(plan.outShape));
    backend.addon.binary(op, backend.values(a), backend.values(b), out, plan.shape, plan.aStrides, plan.bStrides);
    return backend.output(out, [...plan.outShape]);
  };
}

// ---------------------------------------------------------------------------------------------------------
// Unary ops

function unaryKernel(op: number, alphaOf: (attrs: tf.NamedAttrMap) => number = () => 0): NativeKernel {
  return ({ inputs, backend, attrs }, fallback) => {
    const { x } = inputs as { x: tf.TensorInfo };
    if (!allFloat32(backend, x)) return fallback({ inputs, backend, attrs });
    const xValues = backend.values(x);
    const out = backend.allocate(xValues.length);
    backend.addon.unary(op, xValues, out, alphaOf(attrs));
    return backend.output(out, [...x.shape]);
  };
}

// ---------------------------------------------------------------------------------------------------------
// Reductions over one contiguous block of axes: [outer, reduced, inner]

function reduceKernel(op: number, axisAttr: 'axis' | 'reductionIndices'): NativeKernel {
  return ({ inputs, backend, attrs }, fallback) => {
    const { x } = inputs as { x: tf.TensorInfo };
    if (!allFloat32(backend, x)) return fallback({ inputs, backend, attrs });
    const axes = [...tf.util.parseAxisParam(attrs[axisAttr] as number | number[], x.shape)].sort((p, q) => p - q);
    const contiguous = axes.every((axis, i) => i === 0 || axis === axes[i - 1]! + 1);
    if (!contiguous || axes.length === 0) return fallback({ inputs, backend, attrs });
    const first = axes[0]!;
    const last = axes[axes.length - 1]!;
    const outer = size(x.shape.slice(0, first));
    const reduced = size(x.shape.slice(first, last + 1));
    const inner = size(x.shape.slice(last + 1));
    if (reduced === 0) return fallback({ inputs, backend, attrs });
    const out = backend.allocate(outer * inner);
    backend.addon.reduce(op, backend.values(x), out, outer, reduced, inner);
    const keepDims = attrs['keepDims'] === true;
    const outShape = keepDims ? x.shape.map((d, i) => (i >= first && i <= last ? 1 : d)) : x.shape.filter((_, i) => i < first || i > last);
    return backend.output(out, outShape);
  };
}

// ---------------------------------------------------------------------------------------------------------
// Data movement

const transpose: NativeKernel = ({ inputs, backend, attrs }, fallback) => {
  const { x } = inputs as { x: tf.TensorInfo };
  const perm = attrs['perm'] as number[];
  if (!allFloat32(backend, x) || x.shape.length > 8 || x.shape.length === 0) return fallback({ inputs, backend, attrs });
  const inStrides = tf.util.computeStrides(x.shape).concat([1]);
  const outShape = perm.map((p) => x.shape[p]!);
  const out = backend.allocate(size(x.shape));
  backend.addon.strided(backend.values(x), 0, out, Int32Array.from(outShape), Int32Array.from(perm.map((p) => inStrides[p]!)));
  return backend.output(out, outShape);
};

/**
 * A slice `x[begin : begin + extent]` (begin and extent already resolved) as a copy, when it is not contiguous.
 * A contiguous one returns undefined: the cpu backend's slice is then a zero-copy view, cheaper than any copy.
 */
function copySlice(backend: NativeBackend, x: tf.TensorInfo, begin: readonly number[], extent: readonly number[]): tf.TensorInfo | undefined {
  if (tf.slice_util.isSliceContinous(x.shape, begin as number[], extent as number[]) || x.shape.length > 8) return undefined;
  const strides = tf.util.computeStrides(x.shape).concat([1]);
  let offset = 0;
  for (let d = 0; d < begin.length; d++) offset += begin[d]! * strides[d]!;
  const out = backend.allocate(size(extent));
  if (out.length > 0) backend.addon.strided(backend.values(x), offset, out, Int32Array.from(extent), Int32Array.from(strides));
  return backend.output(out, [...extent]);
}

const slice: NativeKernel = ({ inputs, backend, attrs }, fallback) => {
  const { x } = inputs as { x: tf.TensorInfo };
  if (!allFloat32(backend, x) || x.shape.length === 0) return fallback({ inputs, backend, attrs });
  const [begin, extent] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs['begin'] as number[], attrs['size'] as number[]);
  tf.slice_util.assertParamsValid(x as tf.Tensor, begin, extent);
  return copySlice(backend, x, begin, extent) ?? fallback({ inputs, backend, attrs });
};

/** The cpu backend's Slice kernel (a view for contiguous slices). */
function cpuSlice(args: { inputs: tf.NamedTensorInfoMap; backend: NativeBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo | tf.TensorInfo[] {
  const kernel = tf.getKernel(tf.Slice, 'cpu');
  if (kernel === undefined) throw new Error('native backend: the cpu backend has no Slice kernel');
  return kernel.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
}

/** SplitV: the pieces along `axis`, each a native copy or (when contiguous) the cpu backend's view. */
const splitV: NativeKernel = ({ inputs, backend, attrs }, fallback) => {
  const { x } = inputs as { x: tf.TensorInfo };
  if (!allFloat32(backend, x) || x.shape.length === 0) return fallback({ inputs, backend, attrs });
  const axis = tf.util.parseAxisParam(attrs['axis'] as number, x.shape)[0]!;
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, attrs['numOrSizeSplits'] as number | number[], axis);
  const begin = new Array<number>(x.shape.length).fill(0);
  const extent = [...x.shape];
  const pieces: tf.TensorInfo[] = [];
  for (const piece of sizes) {
    extent[axis] = piece;
    pieces.push(copySlice(backend, x, begin, extent) ?? (cpuSlice({ inputs: { x }, backend, attrs: { begin: [...begin], size: [...extent] } }) as tf.TensorInfo));
    begin[axis]! += piece;
  }
  return pieces;
};

/** Concat of float32 tensors along one axis: [outer, Σ inner] row by row in one addon call. */
const concat: NativeKernel = ({ inputs, backend, attrs }, fallback) => {
  const tensors = (Object.values(inputs) as tf.TensorInfo[]).filter((t) => size(t.shape) > 0);
  if (tensors.length === 0 || tensors.length > 64 || !allFloat32(backend, ...tensors)) return fallback({ inputs, backend, attrs });
  const first = tensors[0]!;
  const axis = tf.util.parseAxisParam(attrs['axis'] as number, first.shape)[0]!;
  tf.backend_util.assertParamsConsistent(tensors.map((t) => t.shape), axis);
  const outShape = tf.backend_util.computeOutShape(tensors.map((t) => t.shape), axis);
  const outer = size(first.shape.slice(0, axis));
  if (outer === 0) return fallback({ inputs, backend, attrs });
  const out = backend.allocate(size(outShape));
  backend.addon.concat(tensors.map((t) => backend.values(t)), out, outer);
  return backend.output(out, outShape);
};

/** Row gathers (axis 0, no batch dimensions), which is how minibatches are drawn. */
const gatherV2: NativeKernel = ({ inputs, backend, attrs }, fallback) => {
  const { x, indices } = inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
  const axis = tf.util.parseAxisParam(attrs['axis'] as number, x.shape)[0];
  const batchDims = (attrs['batchDims'] as number | undefined) ?? 0;
  if (!allFloat32(backend, x) || indices.dtype !== 'int32' || axis !== 0 || batchDims !== 0 || x.shape.length === 0) return fallback({ inputs, backend, attrs });
  const rowSize = size(x.shape.slice(1));
  const indexValues = backend.data.get(indices.dataId).values as Int32Array;
  if (rowSize === 0) return fallback({ inputs, backend, attrs });
  const out = backend.allocate(indexValues.length * rowSize);
  backend.addon.gatherRows(backend.values(x), rowSize, indexValues, out);
  return backend.output(out, [...indices.shape, ...x.shape.slice(1)]);
};

/** The kernels the native backend runs in the addon, by tfjs kernel name. */
export const NATIVE_KERNELS: ReadonlyMap<string, NativeKernel> = new Map<string, NativeKernel>([
  [tf.BatchMatMul, batchMatMul],
  [tf._FusedMatMul, fusedMatMul],
  [tf.Add, binaryKernel(BINARY_CODES.add)],
  [tf.Sub, binaryKernel(BINARY_CODES.sub)],
  [tf.Multiply, binaryKernel(BINARY_CODES.mul)],
  [tf.RealDiv, binaryKernel(BINARY_CODES.div)],
  [tf.Maximum, binaryKernel(BINARY_CODES.maximum)],
  [tf.Minimum, binaryKernel(BINARY_CODES.minimum)],
  [tf.SquaredDifference, binaryKernel(BINARY_CODES.squaredDifference)],
  [tf.Exp, unaryKernel(UNARY_CODES.exp)],
  [tf.Log, unaryKernel(UNARY_CODES.log)],
  [tf.Sqrt, unaryKernel(UNARY_CODES.sqrt)],
  [tf.Square, unaryKernel(UNARY_CODES.square)],
  [tf.Neg, unaryKernel(UNARY_CODES.neg)],
  [tf.Relu, unaryKernel(UNARY_CODES.relu)],
  [tf.Abs, unaryKernel(UNARY_CODES.abs)],
  [tf.Sigmoid, unaryKernel(UNARY_CODES.sigmoid)],
  [tf.Tanh, unaryKernel(UNARY_CODES.tanh)],
  [tf.Log1p, unaryKernel(UNARY_CODES.log1p)],
  [tf.Rsqrt, unaryKernel(UNARY_CODES.rsqrt)],
  [tf.Reciprocal, unaryKernel(UNARY_CODES.reciprocal)],
  [tf.Expm1, unaryKernel(UNARY_CODES.expm1)],
  [tf.Step, unaryKernel(UNARY_CODES.step, (attrs) => (attrs['alpha'] as number | undefined) ?? 0)],
  [tf.Sum, reduceKernel(REDUCE_CODES.sum, 'axis')],
  [tf.Mean, reduceKernel(REDUCE_CODES.mean, 'axis')],
  [tf.Max, reduceKernel(REDUCE_CODES.max, 'reductionIndices')],
  [tf.Min, reduceKernel(REDUCE_CODES.min, 'axis')],
  [tf.Transpose, transpose],
  [tf.Slice, slice],
  [tf.SplitV, splitV],
  [tf.Concat, concat],
  [tf.GatherV2, gatherV2],
]);
