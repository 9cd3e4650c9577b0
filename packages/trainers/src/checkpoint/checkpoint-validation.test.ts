import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { generatePca } from '@trientropy/data';
import { Vae1, base64ToFloat32, float32ToBase64 } from '@trientropy/models';
import { trainVae } from '../train.js';
import { CheckpointFormatError, parseCheckpoint, serializeCheckpoint } from './checkpoint-format.js';
import { crc32Hex } from './crc32.js';
import type { TrainingCheckpoint } from './training-checkpoint.js';

const data = generatePca({ n: 40, seed: 3 }).data;
const model = () => new Vae1({ dataDim: 10, latentDim: 2, hiddenSizes: [4], seed: 2 });
// 40 rows / 10 = 4 batches per epoch, 2 epochs.
const options = { epochs: 2, batchSize: 10, learningRate: 1e-3, seed: 5, evaluation: { samples: 1 } };

/** The body of a checkpoint's text edited by `edit`, with a fresh (valid) CRC: a re-signed file. */
function resigned(text: string, edit: (body: Record<string, any>) => void): string {
  const body = JSON.parse(text.slice(text.indexOf('\n') + 1));
  edit(body);
  const json = JSON.stringify(body);
  return `trientropy-checkpoint 1 crc32=${crc32Hex(json)}\n${json}`;
}

function parseError(text: unknown): string {
  try {
    parseCheckpoint(text as string, 'c.ckpt');
  } catch (error) {
    expect(error).toBeInstanceOf(CheckpointFormatError);
    return (error as Error).message;
  }
  throw new Error('expected parseCheckpoint to throw');
}

describe('checkpoint validation', () => {
  let midEpoch: string;
  beforeAll(async () => {
    const texts: string[] = [];
    const m = model();
    await trainVae(m, data, { ...options, checkpoint: { everySteps: 2, write: async (c) => void texts.push(serializeCheckpoint(c)) } });
    m.dispose();
    midEpoch = texts[0]!; // epoch 1, 2 of 4 batches
  });

  it('refuses missing fields and wrong types with the field named (no TypeError)', () => {
    expect(parseError(resigned(midEpoch, (b) => delete b.progress))).toMatch(/^checkpoint c.ckpt: the body does not follow format version 1: progress: /);
    expect(parseError(resigned(midEpoch, (b) => (b.variables[0].shape = 'x')))).toMatch(/variables\.0\.shape/);
    expect(parseError(resigned(midEpoch, (b) => (b.optimizers[0].firstMoments = null)))).toMatch(/optimizers\.0\.firstMoments/);
    expect(parseError(resigned(midEpoch, (b) => (b.progress.step = -1)))).toMatch(/progress\.step/);
    expect(parseError(undefined)).toBe("checkpoint c.ckpt: expected the checkpoint's text (a string), got undefined");
    expect(parseError(42)).toMatch(/got number/);
  });

  it('refuses a state inconsistent with its run: epoch 99 of 2, too many steps, a wrong batch count', () => {
    expect(parseError(resigned(midEpoch, (b) => (b.progress.epoch = 99)))).toMatch(/inconsistent state: progress\.epoch 99 is beyond the run's 2 epochs/);
    expect(parseError(resigned(midEpoch, (b) => (b.progress.step = 50)))).toMatch(/progress\.step 50 is more than/);
    expect(parseError(resigned(midEpoch, (b) => (b.progress.batchesPerEpoch = 7)))).toMatch(/batchesPerEpoch is 7, but 40 rows in batches of 10 make 4/);
    expect(parseError(resigned(midEpoch, (b) => (b.optimizers[0].iterations = 9)))).toMatch(/iterations 9 exceeds progress\.step 2/);
  });

  it('refuses NaN weights and negative second moments', () => {
    const poisoned = resigned(midEpoch, (b) => {
      const values = base64ToFloat32(b.variables[0].values, 40, 'w');
      values[1] = Number.NaN;
      b.variables[0].values = float32ToBase64(values);
    });
    expect(parseError(poisoned)).toMatch(/variables\[0\] .*: value NaN at index 1; a checkpoint holds finite values only/);
    const negative = resigned(midEpoch, (b) => {
      const values = base64ToFloat32(b.optimizers[0].secondMoments[0], 40, 'm');
      values[0] = -1;
      b.optimizers[0].secondMoments[0] = float32ToBase64(values);
    });
    expect(parseError(negative)).toMatch(/secondMoments\[0\]: negative second moments/);
  });

  it('trainVae refuses to resume a re-signed checkpoint of another run or architecture', async () => {
    const m = model();
    const resume = (text: string, extra = {}) => trainVae(m, data, { ...options, ...extra, resumeFrom: parseCheckpoint(text) });
    const epoch99 = resigned(midEpoch, (b) => {
      b.progress.epoch = 99;
      b.run.epochs = 99;
    });
    await expect(resume(epoch99)).rejects.toThrow("resumeFrom: the checkpoint's epoch is 99, this run's is 1…2");
    const tanh = resigned(midEpoch, (b) => (b.modelConfig.activation = 'tanh'));
    await expect(resume(tanh)).rejects.toThrow(/resumeFrom: the checkpoint's model config is .*"activation":"tanh"/);
    const shortMoment = resigned(midEpoch, (b) => (b.optimizers[0].firstMoments[0] = Buffer.from(new Float32Array(1).buffer).toString('base64')));
    await expect(resume(shortMoment)).rejects.toThrow(/optimizers\[0\]\.firstMoments\[0\] length is 1, this run's is 40/);
    const before = tf.memory().numTensors;
    await expect(resume(midEpoch, { epochs: 1 })).resolves.toBeDefined();
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });

  it('fuzz: re-signed random edits give one CheckpointFormatError or a clear resume error, never a TypeError', async () => {
    const fields = ['version', 'createdAt', 'modelKind', 'modelConfig', 'variables', 'optimizers', 'random', 'progress', 'run', 'records', 'metadata'];
    const samples = fc.sample(
      fc.tuple(fc.constantFrom(...fields), fc.option(fc.constantFrom('epoch', 'step', 'batchesDone', 'words', 'current', '0', 'iterations', 'rows', 'shape', '__proto__', 'constructor'), { nil: undefined }), fc.jsonValue({ maxDepth: 2 })),
      { numRuns: 200, seed: 14 },
    );
    const parsed: TrainingCheckpoint[] = [];
    for (const [field, key, value] of samples) {
      const text = resigned(midEpoch, (b) => {
        const target = b[field];
        if (key !== undefined && target !== null && typeof target === 'object') target[key] = value;
        else b[field] = value;
      });
      try {
        parsed.push(parseCheckpoint(text));
      } catch (error) {
        expect(error).toBeInstanceOf(CheckpointFormatError);
      }
    }
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    const m = model();
    for (const checkpoint of parsed.slice(0, 6)) {
      try {
        await trainVae(m, data, { ...options, resumeFrom: checkpoint });
      } catch (error) {
        expect(error).not.toBeInstanceOf(TypeError);
        expect((error as Error).message).toMatch(/^resumeFrom: |state\.words|non-finite|diverg/);
      }
    }
    m.dispose();
  });
});
