import { autoKlAnnealSteps, parseTrainFlags, type RawTrainFlags } from './train-options.js';
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
      klAnneal: 'auto',
      optimalVariances: 'epoch',
      normalizeLatents: true,
      emSweeps: 2000,
      certificateEvery: 'auto',
      earlyStop: 0,
      stopOnConvergence: false,
      clipNorm: undefined,
      checkpointEvery: 0,
      evalSplit: 0,
      stream: false,
      standardize: 'shared',
      shuffleBuffer: 100000,
      evalRows: 10000,
      epochs: 'auto',
      batchSize: 100,
      samples: 1,
      decoderRefit: 0,
      decoderRefitUntil: 0.5,
      polishSteps: 0,
      learningRate: 0.02,
      schedule: 'cosine',
      lrHold: 0.5,
      lrTail: 0.2,
      cosineFinalFraction: 0.001,
      seed: 0,
      evalSamples: 1,
      finalEvalSamples: 20,
      out: undefined,
    });
  });

  it('rejects bad --samples, --decoder-refit and --decoder-refit-until values, naming the flag', () => {
    expect(() => parseTrainFlags({ ...defaults, samples: '0' })).toThrow(/--samples: expected an integer ≥ 1, got '0'/);
    expect(() => parseTrainFlags({ ...defaults, decoderRefit: '-1' })).toThrow(/--decoder-refit: expected an integer ≥ 0/);
    expect(() => parseTrainFlags({ ...defaults, decoderRefitUntil: '0' })).toThrow(/--decoder-refit-until: expected a fraction in \(0, 1\], got '0'/);
    expect(() => parseTrainFlags({ ...defaults, decoderRefitUntil: '1.5' })).toThrow(/--decoder-refit-until/);
    expect(parseTrainFlags({ ...defaults, decoderRefit: '3', decoderRefitUntil: '0.25' })).toMatchObject({ decoderRefit: 3, decoderRefitUntil: 0.25 });
    expect(parseTrainFlags({ ...defaults, polishSteps: '30' })).toMatchObject({ polishSteps: 30 });
    expect(() => parseTrainFlags({ ...defaults, polishSteps: '-1' })).toThrow("--polish-steps: expected an integer ≥ 0, got '-1'");
    expect(() => parseTrainFlags({ ...defaults, polishSteps: 'many' })).toThrow("--polish-steps: expected an integer ≥ 0, got 'many'");
  });

  it('--epochs auto and --certificate-every auto (the defaults) stay auto until the data size is known; numbers are taken as given', () => {
    expect(defaults.epochs).toBe('auto');
    expect(parseTrainFlags(defaults)).toMatchObject({ epochs: 'auto', certificateEvery: 'auto' });
    expect(parseTrainFlags({ ...defaults, model: 'vae-3', epochs: ' auto ', certificateEvery: ' auto ' })).toMatchObject({ epochs: 'auto', certificateEvery: 'auto' });
    expect(parseTrainFlags({ ...defaults, model: 'linear', epochs: '7', certificateEvery: '2' })).toMatchObject({ epochs: 7, certificateEvery: 2 });
    expect(() => parseTrainFlags({ ...defaults, epochs: 'Auto' })).toThrow("--epochs: expected an integer ≥ 1, got 'Auto'");
    expect(() => parseTrainFlags({ ...defaults, certificateEvery: '0' })).toThrow(/--certificate-every: expected an integer ≥ 1, got '0'/);
  });

  it('reads --lr-hold into lrHold and --lr-floor into cosineFinalFraction, also with --schedule constant (which ignores them)', () => {
    expect(parseTrainFlags({ ...defaults, lrHold: '0.25', lrFloor: '0.002' })).toMatchObject({ schedule: 'cosine', lrHold: 0.25, cosineFinalFraction: 0.002 });
    expect(parseTrainFlags({ ...defaults, lrHold: '0', lrFloor: '0' })).toMatchObject({ lrHold: 0, cosineFinalFraction: 0 });
    expect(parseTrainFlags({ ...defaults, lrFloor: '1' }).cosineFinalFraction).toBe(1);
    expect(parseTrainFlags({ ...defaults, schedule: 'constant', lrHold: '0.25', lrFloor: '0.1' })).toMatchObject({ schedule: 'constant', lrHold: 0.25, cosineFinalFraction: 0.1 });
  });

  it('reads --lr-tail into lrTail, and refuses a hold and tail that leave no decay', () => {
    expect(parseTrainFlags({ ...defaults, lrTail: '0.3' })).toMatchObject({ lrHold: 0.5, lrTail: 0.3 });
    expect(parseTrainFlags({ ...defaults, lrHold: '0', lrTail: '0.9' })).toMatchObject({ lrHold: 0, lrTail: 0.9 });
    expect(() => parseTrainFlags({ ...defaults, lrTail: '0.5' })).toThrow("--lr-tail: expected a number below 1 − --lr-hold = 0.5 (the decay needs part of the run), got '0.5'");
    expect(() => parseTrainFlags({ ...defaults, lrTail: '1' })).toThrow("--lr-tail: expected a number in [0, 1), got '1'");
    expect(() => parseTrainFlags({ ...defaults, lrTail: '-0.1' })).toThrow("--lr-tail: expected a number in [0, 1), got '-0.1'");
  });

  it('accepts an empty hidden list (a linear-in-z decoder mean) and spaces in lists', () => {
    expect(parseTrainFlags({ ...defaults, hidden: '' }).hidden).toEqual([]);
    expect(parseTrainFlags({ ...defaults, normalizeLatents: false }).normalizeLatents).toBe(false);
    expect(parseTrainFlags({ ...defaults, hidden: '8, 4' }).hidden).toEqual([8, 4]);
    expect(parseTrainFlags({ ...defaults, option: ['activation=tanh', 'x=a=b'] }).modelOptions).toEqual({ activation: 'tanh', x: 'a=b' });
    expect(parseTrainFlags({ ...defaults, columns: 'a, 2', dropColumns: 'label', delimiter: 'tab', header: 'yes' }).csv).toEqual({ columns: ['a', 2], dropColumns: ['label'], delimiter: '\t', header: true });
    expect(parseTrainFlags({ ...defaults, header: 'auto' }).csv).toEqual({});
  });

  it("resolves --standardize: auto is shared for vae-1/2/3 and off for the others and with --stream; a bare flag is per-column", () => {
    for (const model of ['vae-1', 'vae-2', 'vae-3']) expect(parseTrainFlags({ ...defaults, model }).standardize).toBe('shared');
    for (const model of ['vae-0', 'linear', 'bernoulli']) expect(parseTrainFlags({ ...defaults, model }).standardize).toBe('off');
    expect(parseTrainFlags({ ...defaults, stream: true }).standardize).toBe('off');
    expect(parseTrainFlags({ ...defaults, standardize: true }).standardize).toBe('per-column');
    expect(parseTrainFlags({ ...defaults, model: 'linear', standardize: 'shared' }).standardize).toBe('shared');
    expect(parseTrainFlags({ ...defaults, standardize: 'off' }).standardize).toBe('off');
  });

  it('--kl-anneal auto warms up over a fifth of the run, at most 800 steps', () => {
    expect(parseTrainFlags({ ...defaults, klAnneal: '0' }).klAnneal).toBe(0);
    expect(autoKlAnnealSteps(10_000)).toBe(800);
    expect(autoKlAnnealSteps(2000)).toBe(400);
    expect(autoKlAnnealSteps(4)).toBe(0);
  });

  it.each([
    [{ klAnneal: 'soon' }, "--kl-anneal: expected an integer ≥ 0, got 'soon'"],
    [{ standardize: 'yes' }, "--standardize: expected one of auto, off, shared, per-column, got 'yes'"],
    [{ stream: true, standardize: 'shared' }, '--standardize: not available with --stream'],
    [{ model: 'bernoulli', standardize: 'per-column' }, '--standardize: a Bernoulli decoder models values in [0, 1]'],
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
    [{ lrHold: '1.5' }, "--lr-hold: expected a number in [0, 1), got '1.5'"],
    [{ lrHold: '1' }, "--lr-hold: expected a number in [0, 1), got '1'"],
    [{ lrHold: '-0.1' }, "--lr-hold: expected a number in [0, 1), got '-0.1'"],
    [{ lrHold: 'half' }, "--lr-hold: expected a number in [0, 1), got 'half'"],
    [{ lrFloor: '1.01' }, "--lr-floor: expected a number in [0, 1], got '1.01'"],
    [{ lrFloor: '-1e-3' }, "--lr-floor: expected a number in [0, 1], got '-1e-3'"],
    [{ lrFloor: '' }, "--lr-floor: expected a number in [0, 1], got ''"],
    [{ data: ' ' }, "--data: expected a data set spec or a file path, got ''"],
  ] as [Partial<RawTrainFlags>, string][])('rejects %p with a message naming the flag', (override, message) => {
    expect(() => parseTrainFlags({ ...defaults, ...override })).toThrow(message);
  });
});
