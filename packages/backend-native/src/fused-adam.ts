import * as tf from '@tensorflow/tfjs-core';
import { NativeBackend } from './native-backend.js';

/** The non-public fields of tfjs's AdamOptimizer that its applyGradients reads (tfjs-core 4.22). */
interface AdamInternals {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  incrementIterations(): void;
}

type ApplyGradients = tf.AdamOptimizer['applyGradients'];
type VariableGradients = Parameters<ApplyGradients>[0];

/** Set `TRIENTROPY_NATIVE_FUSED_ADAM=0` to run tfjs's own Adam on the native backend (for comparisons). */
export const FUSED_ADAM_ENV = 'TRIENTROPY_NATIVE_FUSED_ADAM';

let original: ApplyGradients | undefined;

/** The variable's data for writing in place, or `undefined` when it must be copied first (see {@link NativeBackend.exclusiveValues}). */
function float32Values(backend: NativeBackend, tensor: tf.Tensor): Float32Array | undefined {
  const values = backend.data.has(tensor.dataId) ? backend.data.get(tensor.dataId).values : undefined;
  return tensor.dtype === 'float32' && values instanceof Float32Array ? values : undefined;
}

/**
 * Data of `variable` that the update may overwrite: its own array when nothing else can see it, otherwise
 * a copy that then replaces the variable's data (copy-on-write), so that a clone, a `dataSync()` result or a
 * tensor sharing the data never changes under its holder.
 */
function writableValues(backend: NativeBackend, variable: tf.Variable, values: Float32Array): Float32Array {
  if (backend.isExclusive(variable.dataId, values)) return values;
  const copy = backend.allocate(values.length);
  copy.set(values);
  const replacement = tf.engine().makeTensorFromTensorInfo(backend.output(copy, [...variable.shape]));
  variable.assign(replacement);
  replacement.dispose();
  return copy;
}

/**
 * tfjs's AdamOptimizer.applyGradients as one native pass per variable (the addon's `adam`), on the native
 * backend; everywhere else, and for anything but float32 data, tfjs's own code runs. The update performs the
 * same float32 operations in the same order as tfjs's (whose ~14 kernels per variable each round to float32),
 * from scalars rounded as tfjs rounds them, so results are bit-identical (tested); the optimizer's state — the
 * moment variables, accBeta1/2, iterations — is tfjs's own, so getWeights/setWeights and checkpoints see it.
 */
function fusedApplyGradients(this: tf.AdamOptimizer, variableGradients: VariableGradients): void {
  const backend = tf.backend();
  if (!(backend instanceof NativeBackend) || process.env[FUSED_ADAM_ENV] === '0') return original!.call(this, variableGradients);
  const self = this as unknown as AdamInternals;
  const entries = Array.isArray(variableGradients)
    ? variableGradients.map((v) => ({ name: v.name, gradient: v.tensor as tf.Tensor | null | undefined }))
    : Object.keys(variableGradients).map((name) => ({ name, gradient: variableGradients[name] as tf.Tensor | null | undefined }));
  const registered = tf.engine().registeredVariables;
  // Every precondition is checked before anything changes, so a fallback to tfjs's code starts from intact state.
  for (const [i, { name, gradient }] of entries.entries()) {
    const value = registered[name];
    if (value === undefined || gradient == null) continue;
    const moments = [self.accumulatedFirstMoment[i]?.variable, self.accumulatedSecondMoment[i]?.variable];
    if (float32Values(backend, value) === undefined || float32Values(backend, gradient)?.length !== value.size || moments.some((m) => m !== undefined && float32Values(backend, m) === undefined)) {
      return original!.call(this, variableGradients);
    }
  }
  const f32 = Math.fround;
  const oneMinusAccBeta1 = f32(1 - float32Values(backend, self.accBeta1)![0]!);
  const oneMinusAccBeta2 = f32(1 - float32Values(backend, self.accBeta2)![0]!);
  const scalars = Float32Array.of(self.beta1, 1 - self.beta1, self.beta2, 1 - self.beta2, oneMinusAccBeta1, oneMinusAccBeta2, self.epsilon, -self.learningRate);
  for (const [i, { name, gradient }] of entries.entries()) {
    const value = registered[name]!;
    // As tfjs does: the moments are created at the first step, even for a variable without a gradient.
    self.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
    self.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
    if (gradient == null) continue;
    const m = self.accumulatedFirstMoment[i]!.variable;
    const v = self.accumulatedSecondMoment[i]!.variable;
    backend.addon.adam(
      writableValues(backend, value, float32Values(backend, value)!),
      float32Values(backend, gradient)!,
      writableValues(backend, m, float32Values(backend, m)!),
      writableValues(backend, v, float32Values(backend, v)!),
      scalars,
    );
  }
  tf.tidy(() => {
    self.accBeta1.assign(tf.mul(self.accBeta1, self.beta1));
    self.accBeta2.assign(tf.mul(self.accBeta2, self.beta2));
  });
  self.incrementIterations();
}

/**
 * Installs the fused update on tfjs's AdamOptimizer (once per process). It replaces `applyGradients` on the
 * class, so every Adam — `tf.train.adam`, @trientropy/trainers' — gets it, and it runs only while the native
 * backend is active; elsewhere the original code runs unchanged.
 */
export function installFusedAdam(): void {
  if (original !== undefined) return;
  original = tf.AdamOptimizer.prototype.applyGradients;
  tf.AdamOptimizer.prototype.applyGradients = fusedApplyGradients;
}
