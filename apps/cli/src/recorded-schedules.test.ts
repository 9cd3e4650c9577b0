import { klAnnealStepsOf, recordedScheduleProblems, withRecordedSchedules } from './recorded-schedules.js';
import { autoKlAnnealSteps } from './train-options.js';

describe('the schedules a run records', () => {
  it('--kl-anneal auto is resolved once; the recorded length wins over any later run length', () => {
    expect(klAnnealStepsOf({ klAnneal: 'auto' }, 200)).toBe(autoKlAnnealSteps(200));
    expect(klAnnealStepsOf({ klAnneal: 'auto' }, 100_000)).toBe(800);
    expect(klAnnealStepsOf({ klAnneal: 37 }, 200)).toBe(37);
    const first = withRecordedSchedules({ klAnneal: 'auto' as const, epochs: 10, standardize: 'shared' as const }, 20);
    expect(first.klAnnealSteps).toBe(40);
    // Resumed with 5 times the epochs: a fifth of the new run would be 200 steps; the run keeps its 40.
    expect(withRecordedSchedules({ ...first, epochs: 50 }, 20).klAnnealSteps).toBe(40);
  });

  it("an old checkpoint's settings (numeric warm-up, no recorded length) get their warm-up recorded as it was", () => {
    const old = { data: 'synthetic:pca', model: 'vae-1', epochs: 30, batchSize: 250, learningRate: 0.01, schedule: 'cosine', klAnneal: 0, standardize: false };
    expect(withRecordedSchedules(old, 16)).toEqual({ ...old, klAnnealSteps: 0 });
    // A checkpoint of a build with `auto` but without the recorded length: resolved over the run it describes.
    expect(withRecordedSchedules({ ...old, klAnneal: 'auto' as const }, 16).klAnnealSteps).toBe(96);
  });

  it('names a recorded field that is not what it must be', () => {
    expect(recordedScheduleProblems({})).toEqual([]);
    expect(recordedScheduleProblems({ klAnnealSteps: 800 })).toEqual([]);
    expect(recordedScheduleProblems({ klAnnealSteps: -1 })).toEqual(['settings.klAnnealSteps: expected an integer ≥ 0, got -1']);
    expect(recordedScheduleProblems({ klAnnealSteps: 2.5 })).toEqual(['settings.klAnnealSteps: expected an integer ≥ 0, got 2.5']);
  });
});
