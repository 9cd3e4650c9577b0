import * as tf from '@tensorflow/tfjs-core';
import type { BackendAdapter, BackendInfo } from '../backend-adapter.js';
import { cpuAdapter } from '../cpu-adapter.js';
import { evaluateOpCase, type OpCaseResult } from './evaluate-op-case.js';
import { type FixedSeedVaeRun, assertTrainingRunsAgree, trainFixedSeedVae } from './fixed-seed-vae-training.js';
import { OP_CASES, type OpCase } from './op-cases.js';
import { TRAINING, assertArraysClose } from './tolerance.js';

/** Options of {@link describeBackendContract}. */
export interface BackendContractOptions {
  /** Steps of the fixed-seed VAE training compared with cpu. Default 50. */
  trainingSteps?: number;
}

const RANDOM_NORMAL_SIZE = 20000;

function opCaseTestName(opCase: OpCase): string {
  return `${opCase.name}: ${opCase.gradient === null ? 'value agrees' : 'value and gradient agree'} with cpu`;
}

/**
 * Registers the backend contract suite for `adapter` with Jest (like tfjs's `describeWithFlags`): every op in
 * {@link OP_CASES} must agree with the cpu backend in value and gradient, `tf.randomNormal` with a seed must
 * have the right shape and moments and be reproducible, a fixed-seed 50-step VAE training must agree with the
 * cpu run, and no test may leak tensors.
 *
 * A backend whose synchronous `check()` fails is registered as skipped, with the reason in every test name
 * and printed to the console, so it is never silently passed. A backend that passes `check()` but fails to
 * start makes the suite fail (a broken install is an error, not a skip).
 *
 * Call it at the top level of a test file: `describeBackendContract(wasmAdapter);`.
 */
export function describeBackendContract(adapter: BackendAdapter, options: BackendContractOptions = {}): void {
  const steps = options.trainingSteps ?? 50;
  const check = adapter.check();
  const testNames = [
    'starts the backend and reports it',
    ...OP_CASES.map(opCaseTestName),
    'randomNormal with a seed: shape, moments, reproducibility',
    `fixed-seed VAE training, ${steps} steps: agrees with cpu`,
  ];
  if (!check.available) {
    const reason = `${check.reason ?? 'unavailable'}${check.remedy === undefined ? '' : ` (fix: ${check.remedy})`}`;
    // console.warn so that the reason appears in the test log, not only in the names of skipped tests.
    console.warn(`backend contract: SKIPPED ${adapter.name}: ${reason}`);
    describe.skip(`backend contract: ${adapter.name} SKIPPED: ${reason}`, () => {
      for (const name of testNames) it(name, () => undefined);
    });
    return;
  }

  describe(`backend contract: ${adapter.name} against cpu`, () => {
    const references = new Map<string, OpCaseResult>();
    let referenceTraining: FixedSeedVaeRun;
    let info: BackendInfo;

    // tfjs's own kernel leak check (active when IS_TEST is set) counts backend data
    // ids inside each custom-gradient op; on backends whose Identity kernel copies (wasm), the tensor a
    // customGrad `save()`s is such a copy, so it reports "internal memory leak (1 data ids)" for correct code
    // that frees the copy later. The suite turns that check off and measures leaks itself, per test, in
    // tensors (tf.memory) and in the backend's data ids.
    let wasTest = false;

    beforeAll(async () => {
      wasTest = tf.env().getBool('IS_TEST');
      tf.env().set('IS_TEST', false);
      await cpuAdapter.init();
      for (const opCase of OP_CASES) references.set(opCase.name, await evaluateOpCase(opCase));
      referenceTraining = await trainFixedSeedVae({ steps });
      info = await adapter.init();
    });

    afterAll(async () => {
      await cpuAdapter.init();
      tf.env().set('IS_TEST', wasTest);
    });

    it('starts the backend and reports it', () => {
      expect(info.backend).toBe(adapter.name);
      expect(tf.getBackend()).toBe(info.tfjsBackend);
      expect(info.tfjsCoreVersion).toBe(tf.version_core);
    });

    for (const opCase of OP_CASES) {
      it(opCaseTestName(opCase), async () => {
        const before = tf.memory().numTensors;
        const dataIdsBefore = tf.backend().numDataIds();
        const actual = await evaluateOpCase(opCase);
        const expected = references.get(opCase.name)!;
        expect(actual.shape).toEqual(expected.shape);
        assertArraysClose(actual.value, expected.value, opCase.value, `${opCase.name} value`);
        expect(actual.gradients).toHaveLength(expected.gradients.length);
        actual.gradients.forEach((gradient, i) => {
          assertArraysClose(gradient, expected.gradients[i]!, opCase.gradient!, `${opCase.name} gradient of input ${i}`);
        });
        expect(tf.memory().numTensors).toBe(before);
        expect(tf.backend().numDataIds()).toBe(dataIdsBefore);
      });
    }

    it('randomNormal with a seed: shape, moments, reproducibility', async () => {
      const before = tf.memory().numTensors;
      const first = tf.randomNormal([RANDOM_NORMAL_SIZE / 100, 100], 1.5, 2, 'float32', 42);
      const again = tf.randomNormal([RANDOM_NORMAL_SIZE / 100, 100], 1.5, 2, 'float32', 42);
      expect(first.shape).toEqual([RANDOM_NORMAL_SIZE / 100, 100]);
      const [a, b] = await Promise.all([first.data(), again.data()]);
      tf.dispose([first, again]);
      expect(Array.from(b)).toEqual(Array.from(a));
      let sum = 0;
      let sumSquares = 0;
      for (const v of a) {
        sum += v;
        sumSquares += v * v;
      }
      const mean = sum / a.length;
      const variance = sumSquares / a.length - mean * mean;
      // 5 standard errors: the mean's is σ/√n = 0.014, the variance's is σ²√(2/n) = 0.04.
      expect(Math.abs(mean - 1.5)).toBeLessThan(5 * (2 / Math.sqrt(a.length)));
      expect(Math.abs(variance - 4)).toBeLessThan(5 * 4 * Math.sqrt(2 / a.length));
      expect(tf.memory().numTensors).toBe(before);
    });

    it(`fixed-seed VAE training, ${steps} steps: agrees with cpu`, async () => {
      const run = await trainFixedSeedVae({ steps });
      expect(run.tensorsGainedByLaterSteps).toBe(0);
      expect(run.tensorsLeftBehind).toBe(0);
      expect(run.losses).toHaveLength(steps);
      // The run must actually train, or agreeing would prove little.
      expect(run.losses[steps - 1]!).toBeLessThan(run.losses[0]!);
      assertTrainingRunsAgree(run, referenceTraining, TRAINING);
    });
  });
}
