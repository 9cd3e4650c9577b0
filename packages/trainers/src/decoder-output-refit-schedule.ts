import { z } from 'zod';

/**
 * When {@link CommonTrainOptions.decoderOutputRefit} refits the decoder's output layer by least squares
 * (`ScalarGaussianVae.refitDecoderOutputLayer`) at an epoch's end.
 */
export interface DecoderOutputRefitSchedule {
  /** Refit at the end of epochs k, 2k, … . Default 1. */
  everyEpochs?: number;
  /**
   * Refit only in the first this fraction of the run's epochs (in (0, 1]); the rest is gradient training
   * alone, so that the run ends at a stationary point of the ELBO found by gradients, which the certificate
   * judges, rather than at a state whose output layer is stationary by construction. Default 0.5.
   */
  untilFraction?: number;
  /** Draws of z ~ q(z|x) per data point in each refit. Default 4. */
  samples?: number;
}

/** A resolved {@link DecoderOutputRefitSchedule}. */
export type ResolvedRefitSchedule = Required<DecoderOutputRefitSchedule>;

const SCHEDULE_SCHEMA = z
  .object({
    everyEpochs: z.number().int().min(1).optional(),
    untilFraction: z.number().gt(0).max(1).optional(),
    samples: z.number().int().min(1).optional(),
  })
  .strict();

/** Checks the option (a misspelt key is an error, not silently ignored) and fills in the defaults; undefined when off. */
export function resolveRefitSchedule(option: boolean | DecoderOutputRefitSchedule | undefined): ResolvedRefitSchedule | undefined {
  if (option === undefined || option === false) return undefined;
  const parsed = SCHEDULE_SCHEMA.safeParse(option === true ? {} : option);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.code === 'unrecognized_keys' ? `unknown key ${(issue as { keys: string[] }).keys.join(', ')} (expected everyEpochs, untilFraction, samples)` : `${issue.path.join('.') || '(value)'}: ${issue.message}`;
    throw new Error(`decoderOutputRefit: expected true, false or { everyEpochs?: integer ≥ 1, untilFraction?: number in (0, 1], samples?: integer ≥ 1 }; ${where}, got ${JSON.stringify(option)}`);
  }
  return { everyEpochs: parsed.data.everyEpochs ?? 1, untilFraction: parsed.data.untilFraction ?? 0.5, samples: parsed.data.samples ?? 4 };
}

/** Whether the refit runs at the end of `epoch` (from 1) of a run of `epochs`. */
export function refitsAt(schedule: ResolvedRefitSchedule, epoch: number, epochs: number): boolean {
  return epoch % schedule.everyEpochs === 0 && epoch <= Math.floor(schedule.untilFraction * epochs);
}
