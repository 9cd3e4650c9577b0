import * as tf from '@tensorflow/tfjs-core';
import { LinearVae, VAE_KINDS, VAE_KIND_DESCRIPTIONS, VAE_KIND_OPTIONS, Vae2, createVaeModel, parseVaeOptions, variantEntropyTerms } from './index.js';
import { read, scalar } from './test-support/tensors.js';

describe('createVaeModel', () => {
  it.each(VAE_KINDS)('builds %s from the documented option defaults, which are the config defaults', (kind) => {
    const explicit: Record<string, unknown> = { dataDim: 4, latentDim: 2 };
    for (const option of VAE_KIND_OPTIONS[kind]) if (option.default !== undefined) explicit[option.name] = option.default;
    const fromDefaults = createVaeModel(kind, { dataDim: 4, latentDim: 2 });
    const fromExplicit = createVaeModel(kind, explicit as { dataDim: number; latentDim: number });
    expect(fromDefaults.kind).toBe(kind);
    expect(fromDefaults.config).toEqual(fromExplicit.config);
    expect(Object.keys(fromDefaults.config).sort()).toEqual(VAE_KIND_OPTIONS[kind].map((o) => o.name).sort());
    expect(VAE_KIND_DESCRIPTIONS[kind].length).toBeGreaterThan(10);
    fromDefaults.dispose();
    fromExplicit.dispose();
  });

  it.each(VAE_KINDS)('leaves no tensor behind after constructing and disposing %s', (kind) => {
    const before = tf.memory().numTensors;
    createVaeModel(kind, { dataDim: 4, latentDim: 2 }).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('types the model by its kind', () => {
    const model = createVaeModel('vae-2', { dataDim: 3, latentDim: 1, weightConstraint: 'regularize' });
    expect(model).toBeInstanceOf(Vae2);
    expect(model.config.weightConstraint).toBe('regularize');
    model.dispose();
  });

  it('rejects an unknown kind or option with a message naming it', () => {
    // Kinds known only at run time (a CLI flag): literals like these are compile-time errors (create-vae-model.typecheck.ts).
    const [unknownKind, linear]: string[] = ['vae-9', 'linear'];
    expect(() => createVaeModel(unknownKind, { dataDim: 3, latentDim: 1 })).toThrow('kind: expected one of vae-0, vae-1, vae-2, vae-3, linear, bernoulli, got vae-9');
    expect(() => createVaeModel(linear, { dataDim: 3, latentDim: 1, hiddenSizes: [3] })).toThrow(/config: expected options of linear \(.*\), got unknown option hiddenSizes/);
    expect(() => createVaeModel('vae-1', { dataDim: 3, latentDim: 0 })).toThrow('latentDim: expected a positive integer, got 0');
  });
});

describe('parseVaeOptions', () => {
  it('converts command-line strings by option type', () => {
    expect(parseVaeOptions('vae-2', { hiddenSizes: '32, 16', activation: 'tanh', penaltyWeight: '0.5', seed: '3', weightConstraint: 'regularize', rescalePreservesFunction: 'false' })).toEqual({
      hiddenSizes: [32, 16],
      activation: 'tanh',
      penaltyWeight: 0.5,
      seed: 3,
      weightConstraint: 'regularize',
      rescalePreservesFunction: false,
    });
    expect(parseVaeOptions('vae-1', { hiddenSizes: '' })).toEqual({ hiddenSizes: [] });
  });

  it('names the bad option', () => {
    expect(() => parseVaeOptions('vae-1', { seed: '1.5' })).toThrow('seed: expected an integer, got "1.5"');
    expect(() => parseVaeOptions('vae-1', { hiddenSizes: '32,x' })).toThrow(/hiddenSizes: expected a comma-separated list of positive integers/);
    expect(() => parseVaeOptions('bernoulli', { likelihood: 'gauss' })).toThrow('likelihood: expected one of bernoulli, continuous-bernoulli, got "gauss"');
    expect(() => parseVaeOptions('vae-2', { rescalePreservesFunction: 'yes' })).toThrow('rescalePreservesFunction: expected true or false, got "yes"');
    expect(() => parseVaeOptions('linear', { activation: 'relu' })).toThrow(/activation: expected an option of linear/);
  });
});

describe('variantEntropyTerms', () => {
  const x = tf.tidy(() => tf.sigmoid(tf.randomNormal([70, 4], 0, 1, 'float32', 2))) as tf.Tensor2D;
  afterAll(() => x.dispose());

  it.each(VAE_KINDS)('reports consistent plain numbers for %s', async (kind) => {
    const model = createVaeModel(kind, { dataDim: 4, latentDim: 2, ...(kind === 'linear' ? {} : { hiddenSizes: [5] }) });
    const before = tf.memory().numTensors;
    const terms = await variantEntropyTerms(model, x, { seed: 3, samples: 2, batchSize: 32 });
    expect(tf.memory().numTensors).toBe(before);
    expect(terms.kind).toBe(kind);
    // Proved for Gaussian decoders with a learnable variance: not VAE-0 (fixed σ²), not Bernoulli decoders.
    expect(terms.entropySumTheoremApplies).toBe(kind !== 'vae-0' && kind !== 'bernoulli');
    for (const v of [terms.elbo, terms.entropySum, terms.decoderGap, terms.priorGap, ...terms.latentSecondMoments, ...terms.encoderEntropiesPerLatent]) expect(Number.isFinite(v)).toBe(true);
    // The decomposition pairs add up to the gap (same samples for both).
    expect(terms.elbo - terms.entropySum).toBeCloseTo(terms.decoderGap + terms.priorGap, 4);
    expect(terms.entropySum).toBeCloseTo(terms.entropies.encoder - terms.entropies.prior - terms.entropies.decoder, 4);
    expect(terms.decoderVariance === undefined).toBe(kind === 'bernoulli');
    expect(terms.priorVariances === undefined).toBe(kind !== 'vae-2');
    expect(terms.linear === undefined).toBe(kind !== 'linear');
    model.dispose();
  });

  it.each(VAE_KINDS)('optimalVariances of %s reports what setOptimalVariances sets (a fixed point)', (kind) => {
    const model = createVaeModel(kind, { dataDim: 4, latentDim: 2, seed: 3, ...(kind === 'linear' ? {} : { hiddenSizes: [5] }) });
    const options = { seed: 2, samples: 3, batchSize: 1000 };
    const optimum = model.optimalVariances(x, options);
    const expectedFields: Record<string, string[]> = { 'vae-0': ['decoderVariance'], 'vae-1': ['decoderVariance'], 'vae-2': ['decoderVariance', 'priorVariances'], 'vae-3': ['decoderVarianceScale'], linear: ['decoderVariance'], bernoulli: [] };
    expect(Object.keys(optimum).sort()).toEqual(expectedFields[kind]!.sort());
    model.setOptimalVariances(x, options);
    const again = model.optimalVariances(x, options);
    if (kind === 'vae-0') {
      expect(scalar(model.decoderVariance())).toBe(1); // fixed: not moved to R/D
      expect(Math.abs(optimum.decoderVariance! - 1)).toBeGreaterThan(0.01);
    } else if (optimum.decoderVariance !== undefined) {
      expect(scalar(model.decoderVariance())).toBeCloseTo(optimum.decoderVariance, 5);
    }
    if (optimum.decoderVarianceScale !== undefined) expect(again.decoderVarianceScale!).toBeCloseTo(optimum.decoderVarianceScale, 5);
    if (optimum.priorVariances !== undefined) expect(again.priorVariances!.map((v, h) => v - optimum.priorVariances![h]!).every((d) => Math.abs(d) < 1e-6)).toBe(true);
    model.dispose();
  });

  it('agrees with the model evaluated in one batch', async () => {
    const model = new LinearVae({ dataDim: 4, latentDim: 2, seed: 1 });
    const terms = await variantEntropyTerms(model, x, { seed: 5, samples: 3, batchSize: 1000 });
    const direct = read(model.elbo(x, { seed: 5, samples: 3 }));
    expect(terms.elbo).toBeCloseTo(direct.elbo, 4);
    expect(terms.varianceRatio!).toBeCloseTo(direct.squaredError / 4, 4); // σ² = 1 at initialisation
    expect(terms.linear!.exactElbo).toBeCloseTo(read(model.exactElbo(x)).elbo, 5);
    model.dispose();
  });
});
