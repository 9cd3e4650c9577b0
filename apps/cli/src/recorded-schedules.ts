import { type TrainSettings, autoCertificateEvery, autoEpochs, autoKlAnnealSteps } from './train-options.js';

/**
 * The cosine floor, as a fraction of `--lr`, of the builds from 2026-12-02's `--standardize` modes (commit d2f11c6)
 * until the floor was recorded as `cosineFinalFraction`: what such a checkpoint without it ran with. (Adam's iterates
 * jitter around the optimum by about the learning rate: ending at 5 % had left the default VAE-1 run 0.9 % below
 * ℓ_ML; 0.5 % reached it on synthetic:pca. New runs end at `TRAIN_DEFAULTS.lrFloor` unless `--lr-floor` is given.)
 */
export const COSINE_FINAL_FRACTION = 0.005;

/**
 * The cosine floor of the builds before 2026-12-02's `--standardize` modes (commit d2f11c6), whose checkpoints record
 * neither the floor nor a standardisation mode (`standardize` was a boolean or absent then).
 */
export const LEGACY_COSINE_FINAL_FRACTION = 0.05;

/**
 * What a checkpoint or config.json without `lrHold` means: no hold, the cosine decay starts at step 1 (the schedule of
 * every build before `--lr-hold`). New runs hold for `TRAIN_DEFAULTS.lrHold` unless `--lr-hold` is given.
 */
export const UNRECORDED_LR_HOLD = 0;

/**
 * What a checkpoint or config.json without `lrTail` means: no tail, the decay ends at the last step (the schedule of
 * every build before `--lr-tail`). New runs stay at the floor for `TRAIN_DEFAULTS.lrTail` unless `--lr-tail` is given.
 */
export const UNRECORDED_LR_TAIL = 0;

/** The schedules fields of a run's settings (see {@link TrainSettings}) that this module reads. */
type ScheduleSettings = Pick<TrainSettings, 'klAnneal' | 'klAnnealSteps' | 'cosineFinalFraction' | 'lrHold' | 'lrTail' | 'standardize' | 'epochs' | 'certificateEvery' | 'model'>;

/**
 * The floor of the run's cosine schedule: the recorded `cosineFinalFraction`; for a checkpoint written before it
 * was recorded, the floor of the build that wrote it, so that a resumed old run keeps its schedule. Those builds
 * are told apart by their `standardize` setting: a mode string from commit d2f11c6 on (floor 0.5 %), a boolean or
 * nothing before it (floor 5 %).
 */
export function cosineFinalFractionOf(settings: Pick<ScheduleSettings, 'cosineFinalFraction' | 'standardize'>): number {
  if (settings.cosineFinalFraction !== undefined) return settings.cosineFinalFraction;
  return typeof settings.standardize === 'string' ? COSINE_FINAL_FRACTION : LEGACY_COSINE_FINAL_FRACTION;
}

/** The fraction of the run held at `--lr` before the cosine decay: the recorded `lrHold`; absent (older builds): none. */
export function lrHoldOf(settings: Pick<ScheduleSettings, 'lrHold'>): number {
  return settings.lrHold ?? UNRECORDED_LR_HOLD;
}

/** The fraction of the run kept at the floor after the cosine decay: the recorded `lrTail`; absent (older builds): none. */
export function lrTailOf(settings: Pick<ScheduleSettings, 'lrTail'>): number {
  return settings.lrTail ?? UNRECORDED_LR_TAIL;
}

/**
 * The KL warm-up's length in steps: the recorded `klAnnealSteps` (what `--kl-anneal auto` resolved to when the run
 * first started); else `--kl-anneal auto` resolved over `totalSteps`, the steps of the run as its settings
 * describe it; else the number given.
 */
export function klAnnealStepsOf(settings: Pick<ScheduleSettings, 'klAnneal' | 'klAnnealSteps'>, totalSteps: number): number {
  if (settings.klAnnealSteps !== undefined) return settings.klAnnealSteps;
  return settings.klAnneal === 'auto' ? autoKlAnnealSteps(totalSteps) : settings.klAnneal;
}

/** Settings whose run length and certificate interval are numbers: what `auto` resolved to, or what was given. */
export type ResolvedLengths = { epochs: number; certificateEvery?: number };

/**
 * The settings with `--epochs auto` and `--certificate-every auto` resolved for `batchesPerEpoch` batches per epoch
 * ({@link autoEpochs}, {@link autoCertificateEvery}) and both schedules fixed: `klAnnealSteps`, `cosineFinalFraction`,
 * `lrHold` and `lrTail` recorded ({@link klAnnealStepsOf} over `batchesPerEpoch · epochs`, {@link cosineFinalFractionOf},
 * {@link lrHoldOf}, {@link lrTailOf}). Done once, when a run first starts, and for a checkpoint that predates these fields, before
 * `--resume --epochs N` changes its length: `--kl-anneal auto` is a fifth of the run, so resolving it again over a
 * longer run would change the β of the steps already trained.
 */
export function withRecordedSchedules<T extends ScheduleSettings>(settings: T, batchesPerEpoch: number): Omit<T, 'epochs' | 'certificateEvery'> & ResolvedLengths & Required<Pick<TrainSettings, 'klAnnealSteps' | 'cosineFinalFraction' | 'lrHold' | 'lrTail'>> {
  const epochs = settings.epochs === 'auto' ? autoEpochs(settings.model, batchesPerEpoch) : settings.epochs;
  const certificateEvery = settings.certificateEvery === 'auto' ? autoCertificateEvery(epochs) : settings.certificateEvery;
  return {
    ...settings,
    epochs,
    ...(certificateEvery === undefined ? {} : { certificateEvery }),
    klAnnealSteps: klAnnealStepsOf(settings, epochs * batchesPerEpoch),
    cosineFinalFraction: cosineFinalFractionOf(settings),
    lrHold: lrHoldOf(settings),
    lrTail: lrTailOf(settings),
  };
}

/**
 * Problems with the recorded schedule fields of a checkpoint's settings (`[]` when they are absent or valid), each
 * naming the field, what it must be and what it is.
 */
export function recordedScheduleProblems(settings: { klAnnealSteps?: unknown; cosineFinalFraction?: unknown; lrHold?: unknown; lrTail?: unknown }): string[] {
  const problems: string[] = [];
  const { klAnnealSteps: steps, cosineFinalFraction: floor, lrHold: hold, lrTail: tail } = settings;
  if (steps !== undefined && !(typeof steps === 'number' && Number.isSafeInteger(steps) && steps >= 0)) problems.push(`settings.klAnnealSteps: expected an integer ≥ 0, got ${JSON.stringify(steps)}`);
  if (floor !== undefined && !(typeof floor === 'number' && floor >= 0 && floor <= 1)) problems.push(`settings.cosineFinalFraction: expected a number in [0, 1], got ${JSON.stringify(floor)}`);
  const validHold = typeof hold === 'number' && hold >= 0 && hold < 1;
  if (hold !== undefined && !validHold) problems.push(`settings.lrHold: expected a number in [0, 1), got ${JSON.stringify(hold)}`);
  if (tail !== undefined) {
    // Against a valid hold only: an invalid one is reported on its own.
    const room = 1 - (validHold ? hold : UNRECORDED_LR_HOLD);
    if (!(typeof tail === 'number' && tail >= 0 && tail < room)) problems.push(`settings.lrTail: expected a number in [0, ${room}) (below 1 − lrHold), got ${JSON.stringify(tail)}`);
  }
  return problems;
}
