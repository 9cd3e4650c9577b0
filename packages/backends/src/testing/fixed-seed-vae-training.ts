import * as tf from '@tensorflow/tfjs-core';
import { Vae1 } from '@trientropy/models';
import { uniformValues } from './seeded-values.js';
import { type Tolerance, assertArraysClose } from './tolerance.js';
import { deriveSeed } from '@trientropy/distributions';

/** Settings of {@link trainFixedSeedVae}; the defaults are the contract suite's small VAE. */
export interface FixedSeedVaeSettings {
  steps?: number;
  batchSize?: number;
  dataDim?: number;
  latentDim?: number;
  hiddenSizes?: number[];
  learningRate?: number;
  seed?: number;
}

/** Loss curve and final parameters of a {@link trainFixedSeedVae} run. */
export interface FixedSeedVaeRun {
  /** −ELBO (nats per data point) before each step. */
  losses: Float32Array;
  /** Final values of every trainable variable, in `Vae1.trainableVariables()` order. */
  parameters: Float32Array[];
  /**
   * Change of `tf.memory().numTensors` from after the first step to after the last: 0 unless the training
   * step leaks (Adam creates its slot variables during the first step, hence not from before it).
   */
  tensorsGainedByLaterSteps: number;
  /** Tensors still allocated after the model, optimizer and data were disposed (0 when nothing leaks). */
  tensorsLeftBehind: number;
}

/**
 * Trains a small @trientropy/models `Vae1` with Adam on a fixed synthetic batch for `steps` steps, on the
 * active backend. Everything random is seeded: weights (tf.randomUniform with a seed, generated in JS), data
 * (mulberry32) and the reparameterisation noise (seed = step), so two backends run the same computation and
 * any difference comes from their kernels. The losses are read back once, after the last step.
 */
export async function trainFixedSeedVae(settings: FixedSeedVaeSettings = {}): Promise<FixedSeedVaeRun> {
  const tensorsAtStart = tf.memory().numTensors;
  const steps = settings.steps ?? 50;
  const batchSize = settings.batchSize ?? 64;
  const dataDim = settings.dataDim ?? 8;
  const seed = settings.seed ?? 7;
  const model = new Vae1({ dataDim, latentDim: settings.latentDim ?? 2, hiddenSizes: settings.hiddenSizes ?? [16], seed });
  const optimizer = tf.train.adam(settings.learningRate ?? 1e-2);
  const x = tf.tensor2d(uniformValues(batchSize * dataDim, -1, 1, deriveSeed(seed, 1)), [batchSize, dataDim]);
  const losses: tf.Scalar[] = [];
  let tensorsAfterFirstStep = 0;
  let tensorsGainedByLaterSteps = 0;
  let lossValues: Float32Array;
  let parameters: Float32Array[];
  try {
    for (let step = 0; step < steps; step++) {
      const loss = optimizer.minimize(
        () => {
          const terms = model.elbo(x, { seed: seed * 1000 + step });
          return tf.neg(terms.elbo) as tf.Scalar;
        },
        true,
        model.trainableVariables(),
      );
      if (loss === null) throw new Error('optimizer.minimize returned no loss');
      losses.push(loss);
      if (step === 0) tensorsAfterFirstStep = tf.memory().numTensors;
    }
    // Each step adds exactly its loss scalar, which is kept for the read-back below.
    tensorsGainedByLaterSteps = tf.memory().numTensors - tensorsAfterFirstStep - (steps - 1);
    const stacked = tf.stack(losses);
    lossValues = Float32Array.from(await stacked.data());
    stacked.dispose();
    parameters = await Promise.all(model.trainableVariables().map(async (v) => Float32Array.from(await v.data())));
  } finally {
    tf.dispose(losses);
    tf.dispose(x);
    optimizer.dispose();
    model.dispose();
  }
  return { losses: lossValues, parameters, tensorsGainedByLaterSteps, tensorsLeftBehind: tf.memory().numTensors - tensorsAtStart };
}

/**
 * Throws a readable error unless two {@link trainFixedSeedVae} runs agree under `tolerance`: the loss curve
 * and every trained parameter. Both are compared because they catch different faults: a kernel off by 1e-3
 * moves the loss curve by only ~4e-4 relative in 50 steps, but moves parameters by ~1e-2 (measured with a
 * perturbed exp kernel, see contract-sensitivity.test.ts).
 */
export function assertTrainingRunsAgree(actual: FixedSeedVaeRun, reference: FixedSeedVaeRun, tolerance: Tolerance): void {
  assertArraysClose(actual.losses, reference.losses, tolerance, 'loss curve');
  if (actual.parameters.length !== reference.parameters.length) {
    throw new Error(`trained parameters: expected ${reference.parameters.length} variables, got ${actual.parameters.length}`);
  }
  actual.parameters.forEach((values, i) => assertArraysClose(values, reference.parameters[i]!, tolerance, `trained parameter ${i}`));
}
