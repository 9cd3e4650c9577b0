// Fuzz tests of the model parsers (fast-check, fixed seed, bounded runs): random configs, option strings and
// saved files of every variant either give a working model or one clear error (InvalidArgumentError naming the
// option, VaeFileError for files) — never a TypeError/RangeError from inside, a tensor leak or a NaN ELBO.
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { InvalidArgumentError } from '@trientropy/distributions';
import { type AnyVae, VAE_KINDS, VAE_KIND_OPTIONS, VaeFileError, createVaeModel, deserializeVae, parseVaeOptions, serializeVae, vaeFileChecksum, vaeToFile } from './index.js';
import type { VaeFile } from './index.js';

// Bounded so the suite stays fast on CI; raise FUZZ_RUNS locally for a deeper search.
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 100);
const SEED = Number(process.env['FUZZ_SEED'] ?? 14);

/** Values of every JSON type and of every edge: small sizes that build quickly, sizes beyond the limits, non-numbers. */
const configValue = fc.oneof(
  fc.constantFrom<unknown>(1, 2, 3, 0, -1, 1.5, 10, -10, 50, -50, 51, 1e-30, 1e9, 2 ** 16 + 1, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, -0.5, 0.1),
  fc.constantFrom<unknown>([], [2], [3, 2], [0], [1.5], [1e9], [2, Number.NaN], new Array(70).fill(1), ['2'], [[2]]),
  fc.constantFrom<unknown>('relu', 'tanh', 'linear', 'rescale', 'regularize', 'latent-dependent', 'learned-vector', 'bernoulli', 'continuous-bernoulli', 'pca', '', '3', 'toString'),
  fc.constantFrom<unknown>(true, false, null, undefined, {}, { valueOf: 3 }),
);
const optionNames = [...new Set(Object.values(VAE_KIND_OPTIONS).flatMap((options) => options.map((o) => o.name)))];
const configKey = fc.constantFrom(...optionNames, 'hidden', 'latents', '__proto__', 'constructor', 'toString');

function expectClearError(error: unknown, where: string): void {
  if (!(error instanceof InvalidArgumentError)) throw new Error(`${where}: unclear error ${String(error)}`, { cause: error });
  if (!/^[A-Za-z_][\w.[\]]*: expected /.test(error.message)) throw new Error(`${where}: the message names no argument: ${error.message}`);
}

/**
 * A built model must give an ELBO on finite data that is never NaN, and finite when its initial log-variances
 * are moderate (|·| ≤ 10; far out, e.g. VAE-3's exp variance head of z with τ = e^25, it may overflow to −∞);
 * and it must dispose everything it made.
 */
function exercise(model: AnyVae, where: string): void {
  // A Bernoulli decoder models values in [0, 1] (its log-likelihood is −∞ outside): give it data in its support.
  const x = tf.tidy(() => {
    const wave = tf.sin(tf.reshape(tf.range(0, 2 * model.dataDim), [2, model.dataDim]));
    return model.kind === 'bernoulli' ? tf.mul(tf.add(wave, 1), 0.5) : wave;
  });
  const config = model.config as unknown as Record<string, unknown>;
  const moderate = ['initialEncoderLogVariance', 'initialLogDecoderVariance', 'initialLogPriorVariance'].every((k) => !(Math.abs(Number(config[k] ?? 0)) > 10));
  try {
    const elbo = tf.tidy(() => tf.mean(model.elbo(x, { seed: 3 }).elbo).dataSync()[0]!);
    if (Number.isNaN(elbo) || (moderate && !Number.isFinite(elbo))) throw new Error(`${where}: ELBO ${elbo} on finite data`);
  } finally {
    x.dispose();
    model.dispose();
  }
}

describe('fuzz: model configs and option strings', () => {
  it('createVaeModel with random configs of every kind: a working model or one InvalidArgumentError', () => {
    let built = 0;
    fc.assert(
      fc.property(fc.constantFrom(...VAE_KINDS), fc.dictionary(configKey, configValue, { maxKeys: 3 }), fc.constantFrom(1, 2, 4), fc.constantFrom(1, 2), (kind, extra, dataDim, latentDim) => {
        const config = { dataDim, latentDim, ...(kind === 'linear' ? {} : { hiddenSizes: [3] }), ...extra };
        const where = `createVaeModel('${kind}', ${JSON.stringify(config)})`;
        const before = tf.memory().numTensors;
        let model: AnyVae;
        try {
          model = createVaeModel(kind, config as { dataDim: number; latentDim: number });
        } catch (error) {
          expectClearError(error, where);
          expect(tf.memory().numTensors).toBe(before);
          return;
        }
        built++;
        exercise(model, where);
        expect(tf.memory().numTensors).toBe(before);
      }),
      { seed: SEED, numRuns: RUNS * 3 },
    );
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(built).toBeGreaterThan(RUNS / 3);
  });

  it('initial log-variances beyond ±50 are refused (found by the fuzzer: 1e9 gave an ELBO of −Infinity)', () => {
    expect(() => createVaeModel('vae-0', { dataDim: 1, latentDim: 1, hiddenSizes: [3], initialEncoderLogVariance: 1e9 })).toThrow('initialEncoderLogVariance: expected a finite log-variance in [−50, 50], got 1000000000');
    expect(() => createVaeModel('vae-1', { dataDim: 1, latentDim: 1, initialLogDecoderVariance: -51 })).toThrow(/^initialLogDecoderVariance: expected a finite log-variance/);
    expect(() => createVaeModel('vae-2', { dataDim: 1, latentDim: 1, initialLogPriorVariance: 60 })).toThrow(/^initialLogPriorVariance: expected a finite log-variance/);
    expect(() => createVaeModel('linear', { dataDim: 1, latentDim: 1, initialEncoderLogVariance: Number.NaN })).toThrow(/^initialEncoderLogVariance: expected a finite log-variance/);
    expect(() => createVaeModel('vae-0', { dataDim: 1, latentDim: 1, decoderVariance: 1e-30 })).toThrow(/^decoderVariance: expected a number in \[e\^−50, e\^50\]/);
    const edge = createVaeModel('vae-3', { dataDim: 2, latentDim: 1, hiddenSizes: [3], initialLogDecoderVariance: 50 });
    exercise(edge, 'vae-3 at log σ² = 50');
  });

  it('parseVaeOptions with random strings: a config that builds, or one InvalidArgumentError naming the option', () => {
    const text = fc.oneof(fc.constantFrom('0', '1', '2', '-1', '1.5', '1e400', 'NaN', ' ', '', 'true', 'false', 'yes', '3,2', '3,,2', '0x3', 'relu', 'tanh', 'regularize', 'learned-vector', 'continuous-bernoulli'), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.constantFrom(...VAE_KINDS), fc.dictionary(configKey, text, { maxKeys: 3 }), (kind, raw) => {
        const where = `parseVaeOptions('${kind}', ${JSON.stringify(raw)})`;
        let config: Record<string, unknown>;
        try {
          config = parseVaeOptions(kind, raw);
        } catch (error) {
          expectClearError(error, where);
          return;
        }
        try {
          const model = createVaeModel(kind, { ...(kind === 'linear' ? {} : { hiddenSizes: [3] }), ...config, dataDim: 2, latentDim: 1 });
          exercise(model, where);
        } catch (error) {
          expectClearError(error, `${where} then createVaeModel`);
        }
      }),
      { seed: SEED, numRuns: RUNS * 2 },
    );
  });
});

/** `file` with `edit` applied and a fresh, valid checksum. */
function resigned(file: VaeFile, edit: (body: Record<string, unknown>) => void): string {
  const { checksum: _old, ...body } = JSON.parse(JSON.stringify(file)) as VaeFile;
  edit(body as unknown as Record<string, unknown>);
  return JSON.stringify({ ...body, checksum: { algorithm: 'sha256', value: vaeFileChecksum(body as Omit<VaeFile, 'checksum'>) } });
}

describe('fuzz: saved models of every kind', () => {
  it('re-signed random edits of the config and weights load and work, or give one VaeFileError, leaking nothing', () => {
    const files = VAE_KINDS.map((kind) => {
      const model = createVaeModel(kind, { dataDim: 3, latentDim: 2, ...(kind === 'linear' ? {} : { hiddenSizes: [4] }) } as { dataDim: number; latentDim: number });
      const file = vaeToFile(model);
      // The file round-trips before any edit.
      const again = deserializeVae(serializeVae(model));
      expect(again.kind).toBe(kind);
      again.dispose();
      model.dispose();
      return file;
    });
    const edit = fc.oneof(
      fc.tuple(configKey, configValue).map(([key, value]) => (b: Record<string, unknown>) => void ((b.config as Record<string, unknown>)[key] = value)),
      fc.tuple(fc.nat({ max: 20 }), fc.constantFrom('name', 'shape', 'dtype', 'data'), fc.jsonValue({ maxDepth: 1 })).map(([i, key, value]) => (b: Record<string, unknown>) => {
        const weights = b.weights as Record<string, unknown>[];
        if (weights.length > 0) weights[i % weights.length]![key] = value;
      }),
      fc.nat({ max: 20 }).map((i) => (b: Record<string, unknown>) => void (b.weights as unknown[]).splice(i % (b.weights as unknown[]).length, 1)),
      fc.constantFrom(...VAE_KINDS, 'vae-4', '').map((kind) => (b: Record<string, unknown>) => void (b.kind = kind)),
    );
    fc.assert(
      fc.property(fc.nat({ max: files.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 2 }), (which, edits) => {
        const text = resigned(files[which]!, (b) => edits.forEach((e) => e(b)));
        const before = tf.memory().numTensors;
        let model: AnyVae;
        try {
          model = deserializeVae(text);
        } catch (error) {
          if (!(error instanceof VaeFileError)) throw new Error(`unclear error ${String(error)} for ${text.slice(0, 300)}`, { cause: error });
          expect(tf.memory().numTensors).toBe(before);
          return;
        }
        exercise(model, `a re-signed ${files[which]!.kind} file`);
        expect(tf.memory().numTensors).toBe(before);
      }),
      { seed: SEED, numRuns: RUNS * 2 },
    );
  });
});
