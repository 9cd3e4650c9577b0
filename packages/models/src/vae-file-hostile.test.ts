import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { InvalidArgumentError } from '@trientropy/distributions';
import { base64ToFloat32, float32ToBase64 } from './float32-bytes.js';
import { type VaeFile, VaeFileError, createVaeModel, deserializeVae, serializeVae, vaeFileChecksum, vaeToFile } from './index.js';

/** A file with `edit` applied and a fresh, valid checksum: what an attacker or a buggy writer could produce. */
function resigned(file: VaeFile, edit: (body: Record<string, unknown>) => void): string {
  const { checksum: _old, ...body } = JSON.parse(JSON.stringify(file)) as VaeFile;
  edit(body as unknown as Record<string, unknown>);
  return JSON.stringify({ ...body, checksum: { algorithm: 'sha256', value: vaeFileChecksum(body as Omit<VaeFile, 'checksum'>) } });
}

function rejection(content: unknown): string {
  const before = tf.memory().numTensors;
  try {
    deserializeVae(content as string).dispose();
  } catch (error) {
    expect(error).toBeInstanceOf(VaeFileError);
    expect(tf.memory().numTensors).toBe(before);
    return `${(error as VaeFileError).problem}: ${(error as Error).message}`;
  }
  throw new Error('expected deserializeVae to throw');
}

describe('deserializeVae on hostile or broken files', () => {
  const model = createVaeModel('vae-1', { dataDim: 3, latentDim: 2, hiddenSizes: [4] });
  const file = vaeToFile(model);
  afterAll(() => model.dispose());

  it('refuses deep nesting before parsing or hashing (no stack overflow)', () => {
    const deep = `{"format":"trientropy-vae","version":1,"config":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    expect(rejection(deep)).toBe('not-a-model-file: not a model file: its JSON nests deeper than 16 levels');
  });

  it('refuses entries of the wrong type with the field named (no TypeError)', () => {
    expect(rejection(resigned(file, (b) => (b.weights = [null])))).toMatch(/^invalid-content: the model file does not follow format version 2: weights\.0: /);
    expect(rejection(resigned(file, (b) => (b.config = [])))).toMatch(/^invalid-content: .*config: /);
    expect(rejection(resigned(file, (b) => ((b.weights as { shape: unknown }[])[0]!.shape = 'abc')))).toMatch(/weights\.0\.shape/);
  });

  it('refuses NaN and infinite weights', () => {
    const poisoned = resigned(file, (b) => {
      const w = (b.weights as { data: string }[])[0]!;
      const values = base64ToFloat32(w.data, 12, 'w');
      values[0] = Number.NaN;
      w.data = float32ToBase64(values);
    });
    expect(rejection(poisoned)).toMatch(/^invalid-content: weights encoder\/layer0\/weight: value NaN at index 0; a model file holds finite weights only$/);
  });

  it('names duplicate weights and weights named like Object.prototype members', () => {
    expect(rejection(resigned(file, (b) => (b.weights as unknown[]).push((b.weights as unknown[])[0])))).toBe('invalid-content: the model file lists weights more than once: [encoder/layer0/weight]');
    expect(rejection(resigned(file, (b) => ((b.weights as { name: string }[])[0]!.name = 'toString')))).toBe(
      'invalid-content: the weights do not fit a vae-1 model of this config: missing [encoder/layer0/weight], unexpected [toString]',
    );
  });

  it('checks sizes before building: a re-signed latentDim of 1e9 fails at once', () => {
    const start = Date.now();
    expect(rejection(resigned(file, (b) => ((b.config as { latentDim: number }).latentDim = 1e9)))).toMatch(/^invalid-content: the saved config does not build a vae-1 model: latentDim: expected a positive integer ≤ 65536/);
    expect(rejection(resigned(file, (b) => ((b.weights as { shape: number[] }[])[0]!.shape = [1e6, 1e6])))).toMatch(/more than 134217728 values/);
    expect(Date.now() - start).toBeLessThan(5000);
  });

  it('refuses non-strings and an own __proto__ key without touching prototypes', () => {
    expect(rejection(undefined)).toBe("not-json: not a model file: expected the file's text (a string), got undefined");
    expect(rejection(42)).toMatch(/got number/);
    expect(rejection(resigned(file, (b) => Object.defineProperty(b.config, '__proto__', { value: { polluted: 1 }, enumerable: true })))).toMatch(/unknown option __proto__/);
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
  });

  it('fuzz: random edits of a valid file either load or give one VaeFileError, leaking nothing', () => {
    const text = serializeVae(model);
    const json = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(fc.constantFrom('kind', 'config', 'weights', 'format', 'version'), fc.option(fc.string({ maxLength: 12 }), { nil: undefined }), json, fc.boolean(), (field, key, value, sign) => {
        const edit = (b: Record<string, unknown>) => {
          const target = b[field];
          if (key !== undefined && target !== null && typeof target === 'object') (target as Record<string, unknown>)[key] = value;
          else b[field] = value;
        };
        const content = sign ? resigned(file, edit) : (() => { const f = JSON.parse(text); edit(f); return JSON.stringify(f); })();
        const before = tf.memory().numTensors;
        try {
          deserializeVae(content).dispose();
        } catch (error) {
          if (!(error instanceof VaeFileError)) throw error;
        }
        expect(tf.memory().numTensors).toBe(before);
      }),
      { numRuns: 300, seed: 14 },
    );
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => expect(() => deserializeVae(s)).toThrow(VaeFileError)), { numRuns: 300, seed: 15 });
  });
});

describe('models at the size limits and after misuse', () => {
  it('refuses configs too large to allocate, before allocating', () => {
    expect(() => createVaeModel('vae-1', { dataDim: 10, latentDim: 1e9 })).toThrow(/latentDim: expected a positive integer ≤ 65536/);
    expect(() => createVaeModel('vae-1', { dataDim: 10, latentDim: 2, hiddenSizes: [1_000_000] })).toThrow(/hiddenSizes\[0\]: expected a positive integer ≤ 65536/);
    expect(() => createVaeModel('vae-1', { dataDim: 60_000, latentDim: 2, hiddenSizes: [60_000] })).toThrow(/at most 134217728 parameters/);
    expect(() => createVaeModel('linear', { dataDim: 2 ** 20, latentDim: 2 ** 16 })).toThrow(/at most 134217728 parameters/);
  });

  it('says the model was disposed instead of failing inside tfjs', () => {
    const model = createVaeModel('vae-1', { dataDim: 3, latentDim: 2, hiddenSizes: [4] });
    model.dispose();
    const x = tf.zeros([2, 3]);
    expect(() => model.elbo(x, { seed: 0 })).toThrow('this vae-1 model was disposed: create or load a new model to use it');
    expect(() => model.sample(2, 0)).toThrow(/was disposed/);
    expect(() => model.trainableVariables()).toThrow(/was disposed/);
    expect(() => serializeVae(model)).toThrow('cannot save the vae-1 model: it was disposed');
    expect(() => model.dispose()).not.toThrow();
    x.dispose();
  });

  it('elbo refuses NaN input with a clear error', () => {
    const model = createVaeModel('vae-1', { dataDim: 3, latentDim: 2, hiddenSizes: [4] });
    const x = tf.tensor2d([[0, Number.NaN, 1]]);
    const before = tf.memory().numTensors;
    expect(() => model.elbo(x, { seed: 0 })).toThrow(InvalidArgumentError);
    expect(() => model.elbo(x, { seed: 0 })).toThrow(/x: expected finite values, got NaN or ±Infinity entries/);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });

  it('refuses to save non-finite weights', () => {
    const model = createVaeModel('vae-1', { dataDim: 3, latentDim: 2, hiddenSizes: [4] });
    const [first] = Object.values(model.namedVariables());
    first!.assign(tf.fill(first!.shape, Number.POSITIVE_INFINITY));
    expect(() => serializeVae(model)).toThrow(/holds Infinity at index 0; a model file holds finite weights only/);
    model.dispose();
  });
});
