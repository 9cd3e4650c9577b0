import * as tf from '@tensorflow/tfjs-core';

/** Everything `tf.train.adam` carries between steps, as plain numbers. */
export interface AdamState {
  iterations: number;
  /** β₁^t and β₂^t as the optimizer holds them (float32 products, see {@link restoreAdamState}). */
  accBeta1: number;
  accBeta2: number;
  firstMoments: Float32Array[];
  secondMoments: Float32Array[];
}

// tfjs 4.22's AdamOptimizer keeps these in TypeScript-private fields; the checkpoint tests pin the behaviour.
interface AdamInternals {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
}

function internals(optimizer: tf.AdamOptimizer): AdamInternals {
  const candidate = optimizer as unknown as Partial<AdamInternals>;
  if (!(candidate.accBeta1 instanceof tf.Variable) || !Array.isArray(candidate.accumulatedFirstMoment)) {
    throw new Error(`AdamOptimizer: this tfjs version does not expose the fields checkpoints need (accBeta1, accumulatedFirstMoment); trainers support tfjs-core 4.22`);
  }
  return candidate as AdamInternals;
}

/** Reads Adam's state (one device read per tensor; call it at checkpoint time only). */
export async function captureAdamState(optimizer: tf.AdamOptimizer): Promise<AdamState> {
  const adam = internals(optimizer);
  const read = async (t: tf.Tensor) => new Float32Array(await t.data());
  return {
    iterations: optimizer.iterations,
    accBeta1: (await adam.accBeta1.data())[0] as number,
    accBeta2: (await adam.accBeta2.data())[0] as number,
    firstMoments: await Promise.all(adam.accumulatedFirstMoment.map((m) => read(m.variable))),
    secondMoments: await Promise.all(adam.accumulatedSecondMoment.map((m) => read(m.variable))),
  };
}

/**
 * Restores a state from {@link captureAdamState} into a fresh optimizer for the same `variables` (same order).
 * tfjs' own `setWeights` recomputes β^t as `pow(β, t+1)`, which differs in the last float32 bits from the
 * running product the optimizer builds; a resumed run would then drift from an uninterrupted one. So the
 * running products are written back exactly.
 */
export async function restoreAdamState(optimizer: tf.AdamOptimizer, state: AdamState, variables: readonly tf.Variable[]): Promise<void> {
  if (state.firstMoments.length !== 0 && state.firstMoments.length !== variables.length) {
    throw new Error(`optimizer state: expected moments for ${variables.length} variables, got ${state.firstMoments.length}`);
  }
  const named = (values: Float32Array[], suffix: string) =>
    values.map((v, i) => ({ name: `${variables[i]!.name}/${suffix}`, tensor: tf.tensor(v, variables[i]!.shape, 'float32') }));
  const weights = [{ name: 'iter', tensor: tf.scalar(state.iterations, 'int32') }, ...named(state.firstMoments, 'm'), ...named(state.secondMoments, 'v')];
  await optimizer.setWeights(weights);
  tf.dispose(weights.map((w) => w.tensor));
  const adam = internals(optimizer);
  tf.tidy(() => {
    adam.accBeta1.assign(tf.scalar(state.accBeta1));
    adam.accBeta2.assign(tf.scalar(state.accBeta2));
  });
  // setWeights names the restored moments after our names; Adam matches them to variables by position.
  adam.accumulatedFirstMoment.forEach((m, i) => (m.originalName = variables[i]!.name));
  adam.accumulatedSecondMoment.forEach((m, i) => (m.originalName = variables[i]!.name));
}
