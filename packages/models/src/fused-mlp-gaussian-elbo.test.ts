import * as tf from '@tensorflow/tfjs-core';
import type { ActivationName } from './activations.js';
import { Vae0 } from './vae0.js';
import { Vae1 } from './vae1.js';
import { Vae2 } from './vae2.js';
import type { VaeModel } from './vae-model.js';

// objective() (what training differentiates) runs the whole ELBO as one fused op where the backend has the kernel
// (@trientropy/backend-native's native, when this suite runs there: it must have the kernel) and elbo() the layer-by-layer path; both must
// give the same float32 values and gradients, bit for bit. On backends without the kernel the fused cases are
// reported as skipped, and the cases that must not fuse check that objective() still equals elbo().

const FUSED_KERNEL = 'TrientropyMlpGaussianElbo';
const FUSED_GRAD_KERNEL = 'TrientropyMlpGaussianElboGrad';
// The backend becomes active in a beforeAll (after this module's top level), so the suite's backend name decides.
const itFused = process.env['TRIENTROPY_TEST_BACKEND'] === 'native' ? it : it.skip;

const n = 9;
const d = 11;
const h = 3;
const x = tf.add(tf.mul(tf.randomNormal([n, d], 0, 1, 'float32', 7), 1.5), 0.25) as tf.Tensor2D;
afterAll(() => x.dispose());

/** objective's and elbo's values and gradients to every trainable variable. */
function bothPaths(model: VaeModel, samples: number, beta: number) {
  const variables = model.trainableVariables();
  const options = { seed: 5, samples, beta };
  const fused = tf.variableGrads(() => model.objective(x, options), variables);
  const layered = tf.variableGrads(() => model.elbo(x, options).elbo, variables);
  return { fused, layered };
}

/** Asserts equal values and gradients, then frees them. */
function expectBitIdentical(result: ReturnType<typeof bothPaths>): void {
  expect(result.fused.value.dataSync()[0]).toBe(result.layered.value.dataSync()[0]);
  const names = Object.keys(result.layered.grads);
  expect(Object.keys(result.fused.grads).sort()).toEqual([...names].sort());
  for (const name of names) {
    const a = result.fused.grads[name]!.dataSync();
    const b = result.layered.grads[name]!.dataSync();
    expect({ name, values: Array.from(a) }).toEqual({ name, values: Array.from(b) });
    expect(b.some((v) => v !== 0)).toBe(true);
  }
  tf.dispose([result.fused.value, result.layered.value, ...Object.values(result.fused.grads), ...Object.values(result.layered.grads)]);
}

/** The kernel names one objective step (forward and gradients) runs. */
async function objectiveKernels(model: VaeModel, samples: number): Promise<string[]> {
  const variables = model.trainableVariables();
  const info = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(() => model.objective(x, { seed: 5, samples, beta: 1 }), variables);
    tf.dispose([value, ...Object.values(grads)]);
  });
  return info.kernelNames;
}

describe('the fused ELBO op gives the layer-by-layer ELBO and gradients bit for bit', () => {
  itFused.each([
    ['relu', [7, 5], 1, 1],
    ['relu', [7, 5], 3, 0.7],
    ['linear', [6], 2, 1],
    ['relu', [], 1, 2.5],
  ] as [ActivationName, number[], number, number][])('VAE-1, %s hidden layers %j, %i sample(s), β %f', async (activation, hiddenSizes, samples, beta) => {
    const model = new Vae1({ dataDim: d, latentDim: h, hiddenSizes, activation, seed: 3, initialLogDecoderVariance: -0.4, initialEncoderLogVariance: -0.3 });
    const before = tf.memory().numTensors;
    expectBitIdentical(bothPaths(model, samples, beta));
    const kernels = await objectiveKernels(model, samples);
    expect(kernels).toContain(FUSED_KERNEL);
    expect(kernels).toContain(FUSED_GRAD_KERNEL);
    expect(kernels).not.toContain('_FusedMatMul');
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  itFused('VAE-0 (σ² fixed, not trainable): the same, with no gradient to σ²', async () => {
    const model = new Vae0({ dataDim: d, latentDim: h, hiddenSizes: [8], seed: 4, decoderVariance: 0.6 });
    const before = tf.memory().numTensors;
    expectBitIdentical(bothPaths(model, 2, 1));
    expect(await objectiveKernels(model, 2)).toContain(FUSED_KERNEL);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  itFused('a training-sized batch (VAE-1 784-400-2×20, 128 rows) agrees bit for bit', () => {
    const model = new Vae1({ dataDim: 784, latentDim: 20, hiddenSizes: [400], seed: 1 });
    const big = tf.tidy(() => tf.div(tf.floor(tf.randomUniform([128, 784], 0, 256, 'float32', 9)), 255)) as tf.Tensor2D;
    const variables = model.trainableVariables();
    const fused = tf.variableGrads(() => model.objective(big, { seed: 11, samples: 1, beta: 1 }), variables);
    const layered = tf.variableGrads(() => model.elbo(big, { seed: 11, samples: 1, beta: 1 }).elbo, variables);
    expectBitIdentical({ fused, layered });
    big.dispose();
    model.dispose();
  });

  it('a subclass that overrides elbo() is trained on its own elbo, not on the fused op', async () => {
    class Doubled extends Vae1 {
      override elbo(batch: tf.Tensor, options: { seed: number; samples?: number; beta?: number }) {
        const terms = super.elbo(batch, options);
        return { ...terms, elbo: tf.mul(terms.elbo, 2) as tf.Scalar };
      }
    }
    const model = new Doubled({ dataDim: d, latentDim: h, hiddenSizes: [6], seed: 2 });
    expect(await objectiveKernels(model, 1)).not.toContain(FUSED_KERNEL);
    const objective = tf.tidy(() => model.objective(x, { seed: 5, samples: 1 }).dataSync()[0]);
    const elbo = tf.tidy(() => model.elbo(x, { seed: 5, samples: 1 }).elbo.dataSync()[0]);
    expect(objective).toBe(elbo);
    model.dispose();
  });

  it('models or layers the kernel does not cover keep the layer-by-layer path (VAE-2, tanh), with objective = elbo', async () => {
    const vae2 = new Vae2({ dataDim: d, latentDim: h, hiddenSizes: [6], seed: 2 });
    const tanh = new Vae1({ dataDim: d, latentDim: h, hiddenSizes: [6], activation: 'tanh', seed: 2 });
    for (const model of [vae2, tanh] as VaeModel[]) {
      expect(await objectiveKernels(model, 1)).not.toContain(FUSED_KERNEL);
      const objective = tf.tidy(() => model.objective(x, { seed: 5, samples: 1 }).dataSync()[0]);
      const elbo = tf.tidy(() => model.elbo(x, { seed: 5, samples: 1 }).elbo.dataSync()[0]);
      if (model === tanh) expect(objective).toBe(elbo);
      else expect(Number.isFinite(objective)).toBe(true);
      model.dispose();
    }
  });
});
