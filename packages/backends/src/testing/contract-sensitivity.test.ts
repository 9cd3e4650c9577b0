// The contract suite must be able to fail. Here a backend that is the cpu backend with one kernel made
// slightly wrong is run through the same comparisons the suite makes, and they must reject it.
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { cpuAdapter } from '../cpu-adapter.js';
import { evaluateOpCase } from './evaluate-op-case.js';
import { assertTrainingRunsAgree, trainFixedSeedVae } from './fixed-seed-vae-training.js';
import { OP_CASES } from './op-cases.js';
import { ELEMENTWISE, TRAINING, assertArraysClose, compareArrays } from './tolerance.js';

const PERTURBED = 'cpu-with-perturbed-exp';
let relativeError = 0;

beforeAll(async () => {
  await cpuAdapter.init();
  tf.registerBackend(PERTURBED, () => new MathBackendCPU());
  const cpuKernels = tf.getKernelsForBackend('cpu');
  for (const kernel of cpuKernels) {
    if (kernel.kernelName !== tf.Exp) tf.registerKernel({ ...kernel, backendName: PERTURBED });
  }
  const exp = cpuKernels.find((k) => k.kernelName === tf.Exp)!;
  tf.registerKernel({
    kernelName: tf.Exp,
    backendName: PERTURBED,
    kernelFunc: (args) => {
      const out = exp.kernelFunc(args) as tf.TensorInfo;
      const values = (args.backend as MathBackendCPU).data.get(out.dataId).values as Float32Array;
      for (let i = 0; i < values.length; i++) values[i] = values[i]! * (1 + relativeError);
      return out;
    },
  });
});

afterAll(async () => {
  await cpuAdapter.init();
  tf.removeBackend(PERTURBED);
});

async function onBackend<T>(backend: string, run: () => Promise<T>): Promise<T> {
  await tf.setBackend(backend);
  try {
    return await run();
  } finally {
    await tf.setBackend('cpu');
  }
}

describe('contract suite sensitivity', () => {
  const expCase = OP_CASES.find((c) => c.name === 'exp')!;

  it('accepts the perturbed backend when the perturbation is 0 (the harness itself is sound)', async () => {
    relativeError = 0;
    const expected = await evaluateOpCase(expCase);
    const actual = await onBackend(PERTURBED, () => evaluateOpCase(expCase));
    expect(compareArrays(actual.value, expected.value, ELEMENTWISE).ok).toBe(true);
  });

  it('rejects exp values and gradients that are off by 1e-4 relative', async () => {
    relativeError = 1e-4;
    const expected = await evaluateOpCase(expCase);
    const actual = await onBackend(PERTURBED, () => evaluateOpCase(expCase));
    expect(() => assertArraysClose(actual.value, expected.value, ELEMENTWISE, 'exp value')).toThrow(/exp value: \d+ of 20 values outside rtol=0.00001/);
    expect(compareArrays(actual.gradients[0]!, expected.gradients[0]!, ELEMENTWISE).ok).toBe(false);
  });

  it('accepts a 50-step VAE training whose exp kernel is off by 1e-6 (float32 noise) but rejects 1e-3', async () => {
    relativeError = 0;
    const expected = await trainFixedSeedVae({ steps: 50 });
    relativeError = 1e-6;
    const noisy = await onBackend(PERTURBED, () => trainFixedSeedVae({ steps: 50 }));
    expect(() => assertTrainingRunsAgree(noisy, expected, TRAINING)).not.toThrow();
    relativeError = 1e-3;
    const wrong = await onBackend(PERTURBED, () => trainFixedSeedVae({ steps: 50 }));
    expect(() => assertTrainingRunsAgree(wrong, expected, TRAINING)).toThrow(/trained parameter \d+: \d+ of \d+ values outside rtol=0.001/);
  });

  it('rejects NaN even where the reference is NaN', () => {
    expect(compareArrays([Number.NaN], [Number.NaN], ELEMENTWISE).ok).toBe(false);
    expect(compareArrays([1, Number.POSITIVE_INFINITY], [1, Number.POSITIVE_INFINITY], ELEMENTWISE).ok).toBe(true);
    expect(compareArrays([1, 2], [1, 2, 3], ELEMENTWISE)).toMatchObject({ ok: false, failures: 3 });
  });
});
