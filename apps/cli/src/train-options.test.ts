import { TRAIN_DEFAULTS, parseTrainFlags, type RawTrainFlags } from './train-options.js';

const defaults: RawTrainFlags = {
  data: TRAIN_DEFAULTS.data,
  model: TRAIN_DEFAULTS.model,
  latents: String(TRAIN_DEFAULTS.latents),
  hidden: TRAIN_DEFAULTS.hidden,
  epochs: String(TRAIN_DEFAULTS.epochs),
  batchSize: String(TRAIN_DEFAULTS.batchSize),
  lr: String(TRAIN_DEFAULTS.learningRate),
  schedule: TRAIN_DEFAULTS.schedule,
  seed: String(TRAIN_DEFAULTS.seed),
  evalSamples: String(TRAIN_DEFAULTS.evalSamples),
  finalEvalSamples: String(TRAIN_DEFAULTS.finalEvalSamples),
};

describe('parseTrainFlags', () => {
  it('converts the defaults', () => {
    expect(parseTrainFlags(defaults)).toEqual({
      data: 'synthetic:pca',
      dataDir: undefined,
      model: 'vae-1',
      latents: 2,
      hidden: [20, 20],
      epochs: 30,
      batchSize: 250,
      learningRate: 0.005,
      schedule: 'cosine',
      seed: 0,
      evalSamples: 1,
      finalEvalSamples: 20,
      out: undefined,
    });
  });

  it('accepts an empty hidden list (a linear-in-z decoder mean) and spaces in lists', () => {
    expect(parseTrainFlags({ ...defaults, hidden: '' }).hidden).toEqual([]);
    expect(parseTrainFlags({ ...defaults, hidden: '8, 4' }).hidden).toEqual([8, 4]);
  });

  it.each([
    [{ epochs: '0' }, "--epochs: expected an integer ≥ 1, got '0'"],
    [{ epochs: '2.5' }, "--epochs: expected an integer ≥ 1, got '2.5'"],
    [{ batchSize: 'ten' }, "--batch-size: expected an integer ≥ 1, got 'ten'"],
    [{ latents: '-1' }, "--latents: expected an integer ≥ 1, got '-1'"],
    [{ hidden: '8,x' }, "--hidden: expected an integer ≥ 1, got 'x'"],
    [{ lr: '0' }, "--lr: expected a number > 0, got '0'"],
    [{ lr: 'fast' }, "--lr: expected a number > 0, got 'fast'"],
    [{ seed: '-3' }, "--seed: expected an integer ≥ 0, got '-3'"],
    [{ model: 'vae-9' }, "--model: expected one of vae-1, got 'vae-9'"],
    [{ schedule: 'step' }, "--schedule: expected one of cosine, constant, got 'step'"],
    [{ data: ' ' }, "--data: expected a data set spec or a file path, got ''"],
  ] as [Partial<RawTrainFlags>, string][])('rejects %p with a message naming the flag', (override, message) => {
    expect(() => parseTrainFlags({ ...defaults, ...override })).toThrow(message);
  });
});
