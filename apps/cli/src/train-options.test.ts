import { parseTrainFlags, type RawTrainFlags } from './train-options.js';
import { rawTrainDefaults } from './test-support.js';

const defaults: RawTrainFlags = rawTrainDefaults();

describe('parseTrainFlags', () => {
  it('converts the defaults', () => {
    expect(parseTrainFlags(defaults)).toEqual({
      data: 'synthetic:pca',
      dataDir: undefined,
      csv: {},
      model: 'vae-1',
      modelOptions: {},
      latents: 2,
      hidden: undefined,
      backend: 'auto',
      beta: 1,
      klAnneal: 0,
      optimalVariances: 'epoch',
      normalizeLatents: true,
      emSweeps: 2000,
      certificateEvery: 5,
      earlyStop: 0,
      stopOnConvergence: false,
      clipNorm: undefined,
      checkpointEvery: 0,
      evalSplit: 0,
      stream: false,
      standardize: false,
      shuffleBuffer: 100000,
      evalRows: 10000,
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
    expect(parseTrainFlags({ ...defaults, normalizeLatents: false }).normalizeLatents).toBe(false);
    expect(parseTrainFlags({ ...defaults, hidden: '8, 4' }).hidden).toEqual([8, 4]);
    expect(parseTrainFlags({ ...defaults, option: ['activation=tanh', 'x=a=b'] }).modelOptions).toEqual({ activation: 'tanh', x: 'a=b' });
    expect(parseTrainFlags({ ...defaults, columns: 'a, 2', dropColumns: 'label', delimiter: 'tab', header: 'yes' }).csv).toEqual({ columns: ['a', 2], dropColumns: ['label'], delimiter: '\t', header: true });
    expect(parseTrainFlags({ ...defaults, header: 'auto' }).csv).toEqual({});
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
    [{ model: 'vae-9' }, "--model: expected one of vae-0, vae-1, vae-2, vae-3, linear, bernoulli, got 'vae-9'"],
    [{ option: ['decoderVariance'] }, "--option: expected name=value, got 'decoderVariance'"],
    [{ beta: '-1' }, "--beta: expected a number ≥ 0, got '-1'"],
    [{ evalSplit: '1' }, "--eval-split: expected a fraction in [0, 1), got '1'"],
    [{ clipNorm: '0' }, "--clip-norm: expected a number > 0, got '0'"],
    [{ optimalVariances: 'always' }, "--optimal-variances: expected one of epoch, step, off, got 'always'"],
    [{ stream: true, checkpointEvery: '10' }, '--checkpoint-every: not available with --stream (a stream cannot be repositioned to resume)'],
    [{ stream: true, evalSplit: '0.1' }, '--eval-split: not available with --stream (the evaluation sample is the first --eval-rows rows)'],
    [{ shuffleBuffer: '-1' }, "--shuffle-buffer: expected an integer ≥ 0, got '-1'"],
    [{ backend: 'gpu' }, "--backend: expected one of auto, cpu, wasm, native, node, cuda, got 'gpu'"],
    [{ schedule: 'step' }, "--schedule: expected one of cosine, constant, got 'step'"],
    [{ data: ' ' }, "--data: expected a data set spec or a file path, got ''"],
  ] as [Partial<RawTrainFlags>, string][])('rejects %p with a message naming the flag', (override, message) => {
    expect(() => parseTrainFlags({ ...defaults, ...override })).toThrow(message);
  });
});
