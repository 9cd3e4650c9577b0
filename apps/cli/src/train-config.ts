import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { lrHoldOf, lrTailOf } from './recorded-schedules.js';
import { type RawTrainFlags, type TrainSettings, standardizeModeOf } from './train-options.js';
import { UsageError } from './usage-error.js';

const scalar = z.union([z.string(), z.number()]);
const list = z.union([z.string(), z.array(scalar)]);

/**
 * The schema of `train --config FILE.json`: every `train` flag, by its long name in camelCase (`--batch-size` →
 * `batchSize`), with JSON numbers, strings, booleans and lists. Unknown keys are rejected, so a misspelt key
 * never goes unnoticed. The values then pass the same checks as the flags.
 */
export const TRAIN_CONFIG_SCHEMA = z
  .object({
    data: z.string(),
    dataDir: z.string(),
    columns: list,
    dropColumns: list,
    delimiter: z.string(),
    header: z.union([z.boolean(), z.enum(['yes', 'no', 'auto'])]),
    model: z.string(),
    option: z.union([z.array(z.string()), z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))]),
    latents: scalar,
    hidden: list,
    epochs: scalar,
    batchSize: scalar,
    samples: scalar,
    lr: scalar,
    schedule: z.string(),
    lrHold: scalar,
    lrTail: scalar,
    lrFloor: scalar,
    seed: scalar,
    backend: z.string(),
    beta: scalar,
    klAnneal: scalar,
    optimalVariances: z.string(),
    normalizeLatents: z.boolean(),
    emSweeps: scalar,
    certificateEvery: scalar,
    decoderRefit: scalar,
    decoderRefitUntil: scalar,
    polishSteps: scalar,
    earlyStop: scalar,
    stopOnConvergence: z.boolean(),
    clipNorm: scalar,
    checkpointEvery: scalar,
    evalSplit: scalar,
    stream: z.boolean(),
    standardize: z.union([z.boolean(), z.enum(['auto', 'off', 'shared', 'per-column'])]),
    shuffleBuffer: scalar,
    evalRows: scalar,
    evalSamples: scalar,
    finalEvalSamples: scalar,
    out: z.string(),
  })
  .partial()
  .strict();

export type TrainConfig = z.infer<typeof TRAIN_CONFIG_SCHEMA>;

/** Reads and validates a config file; every problem is a usage error naming `--config`, the file and the key. */
export function readTrainConfig(path: string): TrainConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--config: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--config: ${path} is not valid JSON (${(error as Error).message})`);
  }
  const parsed = TRAIN_CONFIG_SCHEMA.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.length > 0 ? issue.path.join('.') : issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys.join(', ') : '(top level)';
    throw new UsageError(`--config: ${path}: ${issue.code === 'unrecognized_keys' ? `unknown key ${key} (keys are train's flags in camelCase, e.g. batchSize)` : `${key}: ${issue.message}`}`);
  }
  return parsed.data;
}

/** The config's values as the strings commander would have collected for the same flags. */
export function configAsFlags(config: TrainConfig): Partial<RawTrainFlags> {
  const flags: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    if (key === 'option') flags.option = Array.isArray(value) ? value : Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`);
    else if (key === 'standardize' && typeof value === 'boolean') flags.standardize = value ? 'per-column' : 'off';
    else if (key === 'header') flags.header = value === true ? 'yes' : value === false ? 'no' : value;
    else if (Array.isArray(value)) flags[key] = value.join(',');
    else if (typeof value === 'number') flags[key] = String(value);
    else flags[key] = value;
  }
  return flags as Partial<RawTrainFlags>;
}

/**
 * The effective settings of a run in the config format, written to `DIR/config.json` (reusable with --config):
 * `--kl-anneal auto` as the number of steps it resolved to (`settings.klAnnealSteps`, when resolved), and the cosine
 * schedule's hold, tail and floor (`lrHold`, `lrTail`, `lrFloor` from `settings.cosineFinalFraction`), so that a later change of
 * their defaults does not change the run the file repeats.
 */
export function settingsAsConfig(settings: TrainSettings): TrainConfig {
  const config: TrainConfig = {
    data: settings.data,
    ...(settings.dataDir === undefined ? {} : { dataDir: settings.dataDir }),
    ...(settings.csv.columns ? { columns: settings.csv.columns } : {}),
    ...(settings.csv.dropColumns ? { dropColumns: settings.csv.dropColumns } : {}),
    ...(settings.csv.delimiter === undefined ? {} : { delimiter: settings.csv.delimiter }),
    ...(settings.csv.header === undefined ? {} : { header: settings.csv.header }),
    model: settings.model,
    option: settings.modelOptions,
    latents: settings.latents,
    ...(settings.hidden === undefined ? {} : { hidden: settings.hidden }),
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    ...(settings.samples === undefined ? {} : { samples: settings.samples }),
    lr: settings.learningRate,
    schedule: settings.schedule,
    lrHold: lrHoldOf(settings),
    lrTail: lrTailOf(settings),
    ...(settings.cosineFinalFraction === undefined ? {} : { lrFloor: settings.cosineFinalFraction }),
    seed: settings.seed,
    backend: settings.backend,
    beta: settings.beta,
    // The warm-up's steps, not `auto`: auto is a fifth of the run, so `--config` with another --epochs (or data
    // size) would resolve it again to another warm-up, and the file would not repeat the run.
    klAnneal: settings.klAnnealSteps ?? settings.klAnneal,
    optimalVariances: settings.optimalVariances,
    normalizeLatents: settings.normalizeLatents,
    ...(settings.emSweeps === undefined ? {} : { emSweeps: settings.emSweeps }),
    ...(settings.certificateEvery === undefined ? {} : { certificateEvery: settings.certificateEvery }),
    ...(settings.decoderRefit === undefined ? {} : { decoderRefit: settings.decoderRefit }),
    ...(settings.decoderRefitUntil === undefined ? {} : { decoderRefitUntil: settings.decoderRefitUntil }),
    polishSteps: settings.polishSteps ?? 0,
    earlyStop: settings.earlyStop,
    stopOnConvergence: settings.stopOnConvergence,
    ...(settings.clipNorm === undefined ? {} : { clipNorm: settings.clipNorm }),
    checkpointEvery: settings.checkpointEvery,
    evalSplit: settings.evalSplit,
    stream: settings.stream,
    standardize: standardizeModeOf(settings),
    shuffleBuffer: settings.shuffleBuffer,
    evalRows: settings.evalRows,
    evalSamples: settings.evalSamples,
    finalEvalSamples: settings.finalEvalSamples,
  };
  return config;
}
