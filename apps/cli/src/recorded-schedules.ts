import { type TrainSettings, autoKlAnnealSteps } from './train-options.js';

/** The schedule fields of a run's settings (see {@link TrainSettings}) that this module reads. */
type ScheduleSettings = Pick<TrainSettings, 'klAnneal' | 'klAnnealSteps' | 'epochs'>;

/**
 * The KL warm-up's length in steps: the recorded `klAnnealSteps` (what `--kl-anneal auto` resolved to when the run
 * first started); else `--kl-anneal auto` resolved over `totalSteps`, the steps of the run as its settings
 * describe it; else the number given.
 */
export function klAnnealStepsOf(settings: Pick<ScheduleSettings, 'klAnneal' | 'klAnnealSteps'>, totalSteps: number): number {
  if (settings.klAnnealSteps !== undefined) return settings.klAnnealSteps;
  return settings.klAnneal === 'auto' ? autoKlAnnealSteps(totalSteps) : settings.klAnneal;
}

/**
 * The settings with the KL warm-up fixed: `klAnnealSteps` recorded ({@link klAnnealStepsOf} over
 * `batchesPerEpoch · epochs`). Done once, when a run first starts, and for a
 * checkpoint that predates these fields, before `--resume --epochs N` changes its length: `--kl-anneal auto` is a
 * fifth of the run, so resolving it again over a longer run would change the β of the steps already trained.
 */
export function withRecordedSchedules<T extends ScheduleSettings>(settings: T, batchesPerEpoch: number): T & Required<Pick<TrainSettings, 'klAnnealSteps'>> {
  return { ...settings, klAnnealSteps: klAnnealStepsOf(settings, settings.epochs * batchesPerEpoch) };
}

/**
 * Problems with the recorded schedule fields of a checkpoint's settings (`[]` when they are absent or valid), each
 * naming the field, what it must be and what it is.
 */
export function recordedScheduleProblems(settings: { klAnnealSteps?: unknown }): string[] {
  const problems: string[] = [];
  const { klAnnealSteps: steps } = settings;
  if (steps !== undefined && !(typeof steps === 'number' && Number.isSafeInteger(steps) && steps >= 0)) problems.push(`settings.klAnnealSteps: expected an integer ≥ 0, got ${JSON.stringify(steps)}`);
  return problems;
}
