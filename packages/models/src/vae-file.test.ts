import * as tf from '@tensorflow/tfjs-core';
import { createHash, randomBytes } from 'node:crypto';
import { base64ToFloat32, float32ToBase64 } from './float32-bytes.js';
import { type AnyVae, type VaeFile, VAE_FILE_VERSION, VAE_KINDS, VaeFileError, createVaeModel, deserializeVae, deserializeVaeFile, serializeVae, vaeFileChecksum, vaeToFile } from './index.js';
import { read, values } from './test-support/tensors.js';

describe('float32 base64 and the checksum', () => {
  it.each([0, 1, 2, 3, 255, 1000])('agree with Buffer and node:crypto on %i random values', (length) => {
    const values = new Float32Array(new Uint8Array(randomBytes(4 * length)).buffer).map((v) => (Number.isFinite(v) ? v : 0));
    const text = float32ToBase64(values);
    expect(text).toBe(Buffer.from(values.buffer).toString('base64'));
    expect(base64ToFloat32(text, length, 'w')).toEqual(values);
  });

  it('hashes the canonical JSON with SHA-256 (FIPS 180-4 vector through node:crypto)', () => {
    const body = { format: 'trientropy-vae' as const, version: 1, kind: 'linear', config: { b: 1, a: 2 }, weights: [] };
    const canonical = '{"config":{"a":2,"b":1},"format":"trientropy-vae","kind":"linear","version":1,"weights":[]}';
    expect(vaeFileChecksum(body)).toBe(createHash('sha256').update(canonical).digest('hex'));
  });
});

describe('serializeVae / deserializeVae', () => {
  const x = tf.tidy(() => tf.sigmoid(tf.randomNormal([12, 4], 0, 1, 'float32', 2))) as tf.Tensor2D;
  afterAll(() => x.dispose());

  function trained(kind: (typeof VAE_KINDS)[number]): AnyVae {
    const model = createVaeModel(kind, { dataDim: 4, latentDim: 2, seed: 7, ...(kind === 'linear' ? {} : { hiddenSizes: [5], activation: 'tanh' }) });
    // Move every variable away from its initial value so the round trip cannot pass by re-initialising.
    const optimizer = tf.train.sgd(0.05);
    tf.tidy(() => {
      optimizer.minimize(() => tf.neg(model.objective(x, { seed: 1 })) as tf.Scalar, false, model.trainableVariables());
    });
    optimizer.dispose();
    return model;
  }

  it.each(VAE_KINDS)('round-trips %s exactly: same config, same weights, same outputs', (kind) => {
    const model = trained(kind);
    const before = tf.memory().numTensors;
    const text = serializeVae(model);
    const copy = deserializeVae(text);
    expect(tf.memory().numTensors).toBe(before + Object.keys(model.namedVariables()).length);
    expect(copy.kind).toBe(kind);
    expect(copy.config).toEqual(model.config);
    const original = model.namedVariables();
    for (const [name, variable] of Object.entries(copy.namedVariables())) expect(values(variable.clone())).toEqual(values(original[name]!.clone()));
    expect(read(copy.elbo(x, { seed: 3, samples: 2 }))).toEqual(read(model.elbo(x, { seed: 3, samples: 2 })));
    expect(read(copy.entropies(x, { seed: 3 }))).toEqual(read(model.entropies(x, { seed: 3 })));
    expect(values(copy.reconstruct(x))).toEqual(values(model.reconstruct(x)));
    expect(serializeVae(copy)).toBe(text);
    copy.dispose();
    model.dispose();
  });

  it('round-trips a per-dimension VAE-3 and a regularised VAE-2 (non-default architectures)', () => {
    for (const model of [createVaeModel('vae-3', { dataDim: 4, latentDim: 2, hiddenSizes: [3], varianceModel: 'per-dimension' }), createVaeModel('vae-2', { dataDim: 4, latentDim: 2, weightConstraint: 'regularize', rescalePreservesFunction: false })]) {
      const copy = deserializeVae(serializeVae(model));
      expect(copy.config).toEqual(model.config);
      expect(read(copy.elbo(x, { seed: 1 }))).toEqual(read(model.elbo(x, { seed: 1 })));
      copy.dispose();
      model.dispose();
    }
  });

  describe('rejects bad files with a clear error', () => {
    let model: AnyVae;
    let text: string;
    beforeAll(() => {
      model = trained('vae-2');
      text = serializeVae(model);
    });
    afterAll(() => model.dispose());

    function problemOf(content: string): string {
      const before = tf.memory().numTensors;
      try {
        deserializeVae(content);
      } catch (error) {
        expect(error).toBeInstanceOf(VaeFileError);
        expect(tf.memory().numTensors).toBe(before);
        return `${(error as VaeFileError).problem}: ${(error as Error).message}`;
      }
      throw new Error('expected deserializeVae to throw');
    }

    it('not JSON, not a model file', () => {
      expect(problemOf(text.slice(0, 100))).toMatch(/^not-json: not a model file: the text is not JSON/);
      expect(problemOf('{"format":"keras"}')).toBe('not-a-model-file: not a model file: expected format "trientropy-vae", got "keras"');
    });

    it('another format version', () => {
      const file = JSON.parse(text);
      file.version = VAE_FILE_VERSION + 1;
      expect(problemOf(JSON.stringify(file))).toBe(`unsupported-version: model file version ${VAE_FILE_VERSION + 1} is not supported: this version of @trientropy/models reads versions 1 and 2`);
    });

    it('a corrupted weight or an edited config (checksum)', () => {
      const file = JSON.parse(text);
      const data: string = file.weights[0].data;
      file.weights[0].data = (data[0] === 'A' ? 'B' : 'A') + data.slice(1);
      expect(problemOf(JSON.stringify(file))).toMatch(/^checksum-mismatch: the model file is corrupt or was edited: its sha256 checksum is [0-9a-f]{64}, its content \(format, version, kind, config, weights\) hashes to [0-9a-f]{64}$/);
      const edited = JSON.parse(text);
      edited.config.latentDim = 3;
      expect(problemOf(JSON.stringify(edited))).toMatch(/^checksum-mismatch/);
    });

    it('weights that do not fit the config (with a valid checksum)', () => {
      const file = vaeToFile(model);
      const { checksum: _ignored, ...body } = file;
      const edited = { ...body, config: { ...body.config, latentDim: 3 } };
      expect(problemOf(JSON.stringify({ ...edited, checksum: { algorithm: 'sha256', value: vaeFileChecksum(edited) } }))).toBe(
        'invalid-content: weights encoder/layer1/weight: expected float32 of shape [5, 6], got float32 of shape [5,4]',
      );
      const renamed = { ...body, weights: body.weights.map((w, i) => (i === 0 ? { ...w, name: 'encoder/layer9/weight' } : w)) };
      expect(problemOf(JSON.stringify({ ...renamed, checksum: { algorithm: 'sha256', value: vaeFileChecksum(renamed) } }))).toBe(
        'invalid-content: the weights do not fit a vae-2 model of this config: missing [encoder/layer0/weight], unexpected [encoder/layer9/weight]',
      );
      const badConfig = { ...body, config: { ...body.config, hiddenSizes: [0] } };
      expect(problemOf(JSON.stringify({ ...badConfig, checksum: { algorithm: 'sha256', value: vaeFileChecksum(badConfig) } }))).toMatch(/^invalid-content: the saved config does not build a vae-2 model: hiddenSizes: expected a list of positive integers/);
    });
  });

  describe('the standardisation (format version 2)', () => {
    const standardization = { mean: [10, -3.5, 0, 1e-3], std: [2, 2, 0, 0.25] };
    let model: AnyVae;
    beforeAll(() => {
      model = trained('vae-1');
    });
    afterAll(() => model.dispose());

    function problemOf(content: string): string {
      const before = tf.memory().numTensors;
      try {
        deserializeVaeFile(content).model.dispose();
      } catch (error) {
        expect(error).toBeInstanceOf(VaeFileError);
        expect(tf.memory().numTensors).toBe(before);
        return `${(error as VaeFileError).problem}: ${(error as Error).message}`;
      }
      throw new Error('expected deserializeVaeFile to throw');
    }

    it('round-trips exactly (float64 values, a Float64Array in) and is covered by the checksum', () => {
      const text = serializeVae(model, { standardization: { mean: Float64Array.from(standardization.mean), std: Float64Array.from(standardization.std) } });
      const file = JSON.parse(text) as VaeFile;
      expect(file.version).toBe(2);
      expect(file.standardization).toEqual(standardization);
      const { model: copy, version, standardization: read } = deserializeVaeFile(text);
      expect(version).toBe(2);
      expect(read).toEqual(standardization);
      expect(values(copy.reconstruct(x))).toEqual(values(model.reconstruct(x)));
      copy.dispose();
      // A file without one says so: version 2, no standardisation (the data's own units).
      const plain = deserializeVaeFile(serializeVae(model));
      expect([plain.version, plain.standardization]).toEqual([2, undefined]);
      plain.model.dispose();
    });

    it('tampering with it fails the checksum, naming the field among what the checksum covers', () => {
      const file = JSON.parse(serializeVae(model, { standardization })) as VaeFile;
      file.standardization!.std[1] = 3;
      expect(problemOf(JSON.stringify(file))).toMatch(/^checksum-mismatch: the model file is corrupt or was edited: its sha256 checksum is [0-9a-f]{64}, its content \(format, version, kind, config, weights, standardization\) hashes to [0-9a-f]{64}$/);
      // Removing it (a standardised model passed off as one in the data's own units) fails too.
      const stripped = JSON.parse(serializeVae(model, { standardization })) as VaeFile;
      delete stripped.standardization;
      expect(problemOf(JSON.stringify(stripped))).toMatch(/^checksum-mismatch: /);
    });

    it('refuses a re-signed standardisation of the wrong length, a negative std, or one in a version 1 file', () => {
      const resign = (edit: (body: Omit<VaeFile, 'checksum'>) => void): string => {
        const { checksum: _old, ...body } = JSON.parse(serializeVae(model, { standardization })) as VaeFile;
        edit(body);
        return JSON.stringify({ ...body, checksum: { algorithm: 'sha256', value: vaeFileChecksum(body) } });
      };
      expect(problemOf(resign((b) => b.standardization!.mean.pop()))).toBe("invalid-content: standardization.mean: expected 4 values (the model's dataDim), got 3");
      expect(problemOf(resign((b) => (b.standardization!.std[0] = -1)))).toMatch(/^invalid-content: the model file does not follow format version 2: standardization\.std\.0: /);
      expect(problemOf(resign((b) => (b.version = 1)))).toBe('invalid-content: standardization: expected no such field in a version 1 model file (it was added in version 2), got one');
    });

    it('reads a version 1 file (older builds) with its original checksum: the units are then unknown', () => {
      const { checksum: _new, standardization: _none, ...body } = vaeToFile(model);
      const old = { ...body, version: 1 };
      const text = JSON.stringify({ ...old, checksum: { algorithm: 'sha256', value: vaeFileChecksum(old) } });
      const { model: copy, version, standardization: read } = deserializeVaeFile(text);
      expect([version, read]).toEqual([1, undefined]);
      expect(values(copy.reconstruct(x))).toEqual(values(model.reconstruct(x)));
      copy.dispose();
    });

    it('refuses to save a standardisation that does not fit the model, naming the argument', () => {
      expect(() => vaeToFile(model, { standardization: { mean: [0, 0, 0], std: [1, 1, 1, 1] } })).toThrow("options.standardization.mean: expected 4 values (the model's dataDim), got 3");
      expect(() => vaeToFile(model, { standardization: { mean: [0, 0, 0, 0], std: [1, Number.NaN, 1, 1] } })).toThrow('options.standardization.std: expected finite numbers ≥ 0, got NaN at index 1');
    });
  });
});
