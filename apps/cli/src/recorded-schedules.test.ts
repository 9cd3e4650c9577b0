import { COSINE_FINAL_FRACTION, UNRECORDED_LR_HOLD, UNRECORDED_LR_TAIL, LEGACY_COSINE_FINAL_FRACTION, cosineFinalFractionOf, klAnnealStepsOf, lrHoldOf, lrTailOf, recordedScheduleProblems, withRecordedSchedules } from './recorded-schedules.js';
import { AUTO_EPOCH_STEPS, AUTO_MAX_EPOCHS, autoCertificateEvery, autoEpochs, autoKlAnnealSteps } from './train-options.js';

describe('the schedules a run records', () => {
  it('--kl-anneal auto is resolved once; the recorded length wins over any later run length', () => {
    expect(klAnnealStepsOf({ klAnneal: 'auto' }, 200)).toBe(autoKlAnnealSteps(200));
    expect(klAnnealStepsOf({ klAnneal: 'auto' }, 100_000)).toBe(800);
    expect(klAnnealStepsOf({ klAnneal: 37 }, 200)).toBe(37);
    const first = withRecordedSchedules({ model: 'vae-1' as const, klAnneal: 'auto' as const, epochs: 10, standardize: 'shared' as const }, 20);
    expect(first.klAnnealSteps).toBe(40);
    // Resumed with 5 times the epochs: a fifth of the new run would be 200 steps; the run keeps its 40.
    expect(withRecordedSchedules({ ...first, epochs: 50 }, 20).klAnnealSteps).toBe(40);
  });

  it("an old checkpoint's settings keep the cosine floor of the build that wrote them", () => {
    // Before the --standardize modes (commit d2f11c6): `standardize` a boolean or absent, the floor 5 %.
    expect(cosineFinalFractionOf({ standardize: false })).toBe(LEGACY_COSINE_FINAL_FRACTION);
    expect(cosineFinalFractionOf({ standardize: true })).toBe(0.05);
    expect(cosineFinalFractionOf({})).toBe(0.05);
    // From d2f11c6 until the floor was recorded: a mode string, the floor 0.5 %.
    expect(cosineFinalFractionOf({ standardize: 'off' })).toBe(COSINE_FINAL_FRACTION);
    expect(COSINE_FINAL_FRACTION).toBe(0.005);
    // Recorded: as recorded.
    expect(cosineFinalFractionOf({ standardize: false, cosineFinalFraction: 0.2 })).toBe(0.2);
  });

  it("an old-format config (a checkpoint's settings of 2026-11: numeric warm-up, boolean standardize, nothing recorded) is resolved whole, as that build ran it", () => {
    const old = { data: 'synthetic:pca', model: 'vae-1' as const, epochs: 30, batchSize: 250, learningRate: 0.01, schedule: 'cosine', klAnneal: 0, standardize: false };
    expect(withRecordedSchedules(old, 16)).toEqual({ ...old, klAnnealSteps: 0, cosineFinalFraction: 0.05, lrHold: 0, lrTail: 0 });
    // A checkpoint of a build with `auto` but without the recorded length: resolved over the run it describes.
    expect(withRecordedSchedules({ ...old, klAnneal: 'auto' as const }, 16).klAnnealSteps).toBe(96);
  });

  it('a run without a recorded lrHold (every build before --lr-hold) holds nothing; a recorded one is kept', () => {
    expect(UNRECORDED_LR_HOLD).toBe(0);
    expect(lrHoldOf({})).toBe(0);
    expect(lrHoldOf({ lrHold: 0.5 })).toBe(0.5);
    const recorded = withRecordedSchedules({ model: 'vae-1' as const, klAnneal: 0, epochs: 10, standardize: 'shared' as const, lrHold: 0.5, cosineFinalFraction: 0.001 }, 20);
    expect(recorded).toMatchObject({ lrHold: 0.5, cosineFinalFraction: 0.001 });
    // Resumed with more epochs: the hold stays a fraction of the (longer) run, the floor stays where it was.
    expect(withRecordedSchedules({ ...recorded, epochs: 30 }, 20)).toMatchObject({ lrHold: 0.5, cosineFinalFraction: 0.001 });
  });

  it('a run without a recorded lrTail (every build before --lr-tail) has no tail; a recorded one is kept', () => {
    expect(UNRECORDED_LR_TAIL).toBe(0);
    expect(lrTailOf({})).toBe(0);
    expect(lrTailOf({ lrTail: 0.2 })).toBe(0.2);
    const recorded = withRecordedSchedules({ model: 'vae-1' as const, klAnneal: 0, epochs: 10, standardize: 'shared' as const, lrHold: 0.5, lrTail: 0.2 }, 20);
    expect(recorded).toMatchObject({ lrHold: 0.5, lrTail: 0.2 });
    expect(withRecordedSchedules({ ...recorded, epochs: 30 }, 20)).toMatchObject({ lrHold: 0.5, lrTail: 0.2 });
  });

  it('--epochs auto is a step budget for gradient-trained models, 200 epochs for the linear VAE, resolved once with the data size', () => {
    expect(autoEpochs('vae-1', 40)).toBe(Math.ceil(AUTO_EPOCH_STEPS / 40));
    expect(autoEpochs('vae-1', 100)).toBe(300);
    expect(autoEpochs('bernoulli', 600)).toBe(50);
    expect(autoEpochs('vae-1', 1)).toBe(AUTO_MAX_EPOCHS);
    expect(autoEpochs('linear', 40)).toBe(200);
    expect(autoEpochs('linear', 1)).toBe(200);
    const first = withRecordedSchedules({ model: 'vae-1' as const, klAnneal: 'auto' as const, epochs: 'auto' as const, certificateEvery: 'auto' as const, standardize: 'shared' as const }, 40);
    expect(first).toMatchObject({ epochs: 750, certificateEvery: 38, klAnnealSteps: 800 });
    // Recorded as numbers: a resumed run (even on a data set of another size) keeps them.
    expect(withRecordedSchedules(first, 10)).toMatchObject({ epochs: 750, certificateEvery: 38 });
    // Given numbers are kept; an unrecorded interval (older checkpoints) stays absent.
    expect(withRecordedSchedules({ model: 'vae-1' as const, klAnneal: 0, epochs: 7, certificateEvery: 3, standardize: 'shared' as const }, 40)).toMatchObject({ epochs: 7, certificateEvery: 3 });
    expect('certificateEvery' in withRecordedSchedules({ model: 'vae-1' as const, klAnneal: 0, epochs: 7, standardize: 'shared' as const }, 40)).toBe(false);
  });

  it('--certificate-every auto spreads about 20 certificates over a run, at least one epoch apart', () => {
    expect(autoCertificateEvery(300)).toBe(15);
    expect(autoCertificateEvery(200)).toBe(10);
    expect(autoCertificateEvery(29)).toBe(1);
    expect(autoCertificateEvery(1)).toBe(1);
  });

  it('names a recorded field that is not what it must be', () => {
    expect(recordedScheduleProblems({})).toEqual([]);
    expect(recordedScheduleProblems({ klAnnealSteps: 800, cosineFinalFraction: 0 })).toEqual([]);
    expect(recordedScheduleProblems({ lrHold: 0 })).toEqual([]);
    expect(recordedScheduleProblems({ lrHold: 0.99 })).toEqual([]);
    expect(recordedScheduleProblems({ lrHold: 1 })).toEqual(['settings.lrHold: expected a number in [0, 1), got 1']);
    expect(recordedScheduleProblems({ lrHold: '0.5' })).toEqual(['settings.lrHold: expected a number in [0, 1), got "0.5"']);
    expect(recordedScheduleProblems({ lrHold: 0.5, lrTail: 0.2 })).toEqual([]);
    expect(recordedScheduleProblems({ lrTail: 0.9 })).toEqual([]);
    expect(recordedScheduleProblems({ lrHold: 0.5, lrTail: 0.5 })).toEqual(['settings.lrTail: expected a number in [0, 0.5) (below 1 − lrHold), got 0.5']);
    expect(recordedScheduleProblems({ lrHold: 1, lrTail: 0.2 })).toEqual(['settings.lrHold: expected a number in [0, 1), got 1']);
    expect(recordedScheduleProblems({ lrTail: 'end' })).toEqual(['settings.lrTail: expected a number in [0, 1) (below 1 − lrHold), got "end"']);
    expect(recordedScheduleProblems({ klAnnealSteps: -1, cosineFinalFraction: '0.1' })).toEqual(['settings.klAnnealSteps: expected an integer ≥ 0, got -1', 'settings.cosineFinalFraction: expected a number in [0, 1], got "0.1"']);
    expect(recordedScheduleProblems({ klAnnealSteps: 2.5, cosineFinalFraction: 1.5 })).toEqual(['settings.klAnnealSteps: expected an integer ≥ 0, got 2.5', 'settings.cosineFinalFraction: expected a number in [0, 1], got 1.5']);
  });
});
