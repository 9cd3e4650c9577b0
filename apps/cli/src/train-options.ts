import { DEFAULT_DATASET } from '@trientropy/data';
import { MODEL_SIZE_LIMITS, VAE_KINDS, type VaeKind } from '@trientropy/models';
import type { CsvSettings } from './load-data.js';
import { UsageError } from './usage-error.js';

/** Learning-rate schedules `train --schedule` accepts. */
export const SCHEDULE_KINDS = ['cosine', 'constant'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

/** When `train --optimal-variances` sets σ² (and α², VAE-3's scale) to their closed form. */
export const OPTIMAL_VARIANCE_MODES = ['epoch', 'step', 'off'] as const;
export type OptimalVarianceMode = (typeof OPTIMAL_VARIANCE_MODES)[number];

/** Backends `train --backend` accepts. */
export const BACKEND_CHOICES = ['auto', 'cpu', 'wasm', 'native', 'node', 'cuda'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** Validated settings of one `trientropy train` run (stored in checkpoints, so plain JSON). */
export interface TrainSettings {
  data: string;
  dataDir: string | undefined;
  /** How a `.csv` `--data` file is read (`--columns`, `--drop-columns`, `--delimiter`, `--header`). */
  csv: CsvSettings;
  model: VaeKind;
  /** `--option name=value` pairs for the model (see `trientropy models`). */
  modelOptions: Record<string, string>;
  latents: number;
  /** Hidden sizes for MLP models; undefined means the CLI default. */
  hidden: number[] | undefined;
  epochs: number;
  batchSize: number;
  learningRate: number;
  schedule: ScheduleKind;
  seed: number;
  backend: BackendChoice;
  beta: number;
  /** Steps of linear KL annealing from β = 0 to `beta`; 0 for none. */
  klAnneal: number;
  optimalVariances: OptimalVarianceMode;
  /** Rescale latents to m_h = 1 every epoch (models with a scalar-σ² Gaussian decoder; ignored for others). */
  normalizeLatents: boolean;
  /** `--model linear`: closed-form EM sweeps at every epoch's end (0: Adam only); ignored for other models. Absent in older checkpoints. */
  emSweeps?: number;
  /** Certify every this many epochs and the last (1 with --stop-on-convergence). Absent in older checkpoints (then 1). */
  certificateEvery?: number;
  /** Early-stopping patience in epochs; 0 for none. */
  earlyStop: number;
  /** Stop when the relative gap and ELBO change stay small (arXiv 2010.14860, convergence application). */
  stopOnConvergence: boolean;
  clipNorm: number | undefined;
  /** Steps between checkpoints (0: only at epoch ends). */
  checkpointEvery: number;
  /** Fraction of the training rows held out for evaluation; 0 to use the data set's own test part. */
  evalSplit: number;
  /** Stream `--data` from disk batch by batch instead of loading it (files larger than memory). */
  stream: boolean;
  /**
   * Train on `(x − mean)/std` per column (fitted on the training rows) and report ELBO, entropy sum and entropies
   * in the original data's units (plus the log-Jacobian −Σ_d log std_d). Absent in older checkpoints (false).
   */
  standardize?: boolean;
  /** Rows of the seeded shuffle buffer when streaming (0: file order). */
  shuffleBuffer: number;
  /** Rows kept in memory as the evaluation sample when streaming. */
  evalRows: number;
  evalSamples: number;
  finalEvalSamples: number;
  out: string | undefined;
}

/**
 * Defaults of `trientropy train`, chosen so that the default run on `synthetic:pca` (10 000 points) ends with a
 * relative gap |ELBO − entropy sum|/|ELBO| well below 1e-2 within seconds on 2 cores: a cosine-decayed
 * learning rate (5e-3 → 2.5e-4) lets Adam settle, and every epoch ends with the closed-form steps of the stationary-point conditions of the paper (arXiv 2010.14860)
 * (latents rescaled to m_h = 1, then σ² ← R/D).
 */
export const TRAIN_DEFAULTS = {
  data: DEFAULT_DATASET,
  model: 'vae-1',
  latents: 2,
  hidden: '20,20',
  epochs: 30,
  batchSize: 250,
  learningRate: 5e-3,
  schedule: 'cosine',
  seed: 0,
  backend: 'auto',
  beta: 1,
  klAnneal: 0,
  optimalVariances: 'epoch',
  emSweeps: 2000,
  certificateEvery: 5,
  earlyStop: 0,
  checkpointEvery: 0,
  evalSplit: 0,
  shuffleBuffer: 100_000,
  evalRows: 10_000,
  evalSamples: 1,
  finalEvalSamples: 20,
} as const;

/** The raw strings commander collects for `train`. */
export interface RawTrainFlags {
  data: string;
  dataDir?: string;
  columns?: string;
  dropColumns?: string;
  delimiter?: string;
  header?: string;
  model: string;
  option: string[];
  latents: string;
  hidden?: string;
  epochs: string;
  batchSize: string;
  lr: string;
  schedule: string;
  seed: string;
  backend: string;
  beta: string;
  klAnneal: string;
  optimalVariances: string;
  emSweeps: string;
  certificateEvery: string;
  normalizeLatents?: boolean;
  earlyStop: string;
  stopOnConvergence?: boolean;
  clipNorm?: string;
  checkpointEvery: string;
  evalSplit: string;
  stream?: boolean;
  standardize?: boolean;
  shuffleBuffer: string;
  evalRows: string;
  evalSamples: string;
  finalEvalSamples: string;
  out?: string;
}

/**
 * The integer a flag's text spells (ASCII digits, optional sign), at least `min` and at most `max`. Larger
 * integers than 2^53 − 1 have no exact float64, so '9007199254740993' would silently become another number.
 */
export function integerFlag(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!/^[-+]?\d+$/.test(text.trim()) || value < min) throw new UsageError(`${flag}: expected an integer ≥ ${min}, got '${text}'`);
  if (!Number.isSafeInteger(value) || value > max) throw new UsageError(`${flag}: expected an integer in [${min}, ${max}], got '${text}'`);
  return value;
}

/** A seed flag: an integer in [0, 2^53 − 1] (every seed in that range gives its own, reproducible draws). */
export function seedFlag(flag: string, text: string): number {
  return integerFlag(flag, text, 0);
}

function numberFlag(flag: string, text: string, check: (value: number) => boolean, expected: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !check(value)) throw new UsageError(`${flag}: expected ${expected}, got '${text}'`);
  return value;
}

function choiceFlag<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) throw new UsageError(`${flag}: expected one of ${choices.join(', ')}, got '${text}'`);
  return text as T;
}

function optionPairs(pairs: readonly string[]): Record<string, string> {
  const options: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(pair);
    if (!match) throw new UsageError(`--option: expected name=value, got '${pair}'`);
    options[match[1]!] = match[2]!;
  }
  return options;
}

function columnList(flag: string, text: string | undefined): (string | number)[] | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(',').map((part) => part.trim());
  if (parts.some((part) => part === '')) throw new UsageError(`${flag}: expected a comma-separated list of column names or 0-based indices, got '${text}'`);
  return parts.map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** Reads the CSV flags (`--columns`, `--drop-columns`, `--delimiter`, `--header`), shared by the commands that load data. */
/** The raw values of the CSV flags (`--columns`, `--drop-columns`, `--delimiter`, `--header`) that `train`, `eval` and `sample` share. */
export interface CsvFlagValues {
  columns?: string;
  dropColumns?: string;
  delimiter?: string;
  header?: string;
}

export function parseCsvFlags(raw: CsvFlagValues): CsvSettings {
  const csv: CsvSettings = {};
  const columns = columnList('--columns', raw.columns);
  const dropColumns = columnList('--drop-columns', raw.dropColumns);
  if (columns) csv.columns = columns;
  if (dropColumns) csv.dropColumns = dropColumns;
  if (raw.delimiter !== undefined) {
    const delimiter = raw.delimiter === 'tab' || raw.delimiter === '\\t' ? '\t' : raw.delimiter;
    if ([...delimiter].length !== 1 || delimiter === '"' || delimiter === '\n') throw new UsageError(`--delimiter: expected one character (or 'tab'), got '${raw.delimiter}'`);
    csv.delimiter = delimiter;
  }
  if (raw.header !== undefined) {
    const header = choiceFlag('--header', raw.header, ['yes', 'no', 'auto'] as const);
    if (header !== 'auto') csv.header = header === 'yes';
  }
  return csv;
}

/** Checks and converts `train`'s flags; throws a {@link UsageError} naming the flag on bad input. */
export function parseTrainFlags(raw: RawTrainFlags): TrainSettings {
  const hidden = raw.hidden === undefined ? undefined : raw.hidden.trim() === '' ? [] : raw.hidden.split(',').map((part) => integerFlag('--hidden', part.trim(), 1, MODEL_SIZE_LIMITS.hiddenSize));
  const data = raw.data.trim();
  if (data === '') throw new UsageError(`--data: expected a data set spec or a file path, got ''`);
  if (raw.out !== undefined && raw.out.trim() === '') throw new UsageError(`--out: expected a directory path, got ''`);
  const stream = raw.stream === true;
  if (stream && raw.checkpointEvery !== '0') throw new UsageError('--checkpoint-every: not available with --stream (a stream cannot be repositioned to resume)');
  if (stream && raw.standardize === true) throw new UsageError('--standardize: not available with --stream (the standardisation is fitted on the loaded training rows)');
  if (stream && raw.evalSplit !== '0') throw new UsageError('--eval-split: not available with --stream (the evaluation sample is the first --eval-rows rows)');
  return {
    data,
    dataDir: raw.dataDir,
    csv: parseCsvFlags(raw),
    model: choiceFlag('--model', raw.model, VAE_KINDS),
    modelOptions: optionPairs(raw.option),
    latents: integerFlag('--latents', raw.latents, 1, MODEL_SIZE_LIMITS.latentDim),
    hidden,
    epochs: integerFlag('--epochs', raw.epochs, 1),
    batchSize: integerFlag('--batch-size', raw.batchSize, 1),
    learningRate: numberFlag('--lr', raw.lr, (v) => v > 0, 'a number > 0'),
    schedule: choiceFlag('--schedule', raw.schedule, SCHEDULE_KINDS),
    seed: seedFlag('--seed', raw.seed),
    backend: choiceFlag('--backend', raw.backend, BACKEND_CHOICES),
    beta: numberFlag('--beta', raw.beta, (v) => v >= 0, 'a number ≥ 0'),
    klAnneal: integerFlag('--kl-anneal', raw.klAnneal, 0),
    optimalVariances: choiceFlag('--optimal-variances', raw.optimalVariances, OPTIMAL_VARIANCE_MODES),
    normalizeLatents: raw.normalizeLatents !== false,
    emSweeps: integerFlag('--em-sweeps', raw.emSweeps, 0),
    certificateEvery: integerFlag('--certificate-every', raw.certificateEvery, 1),
    earlyStop: integerFlag('--early-stop', raw.earlyStop, 0),
    stopOnConvergence: raw.stopOnConvergence === true,
    clipNorm: raw.clipNorm === undefined ? undefined : numberFlag('--clip-norm', raw.clipNorm, (v) => v > 0, 'a number > 0'),
    checkpointEvery: integerFlag('--checkpoint-every', raw.checkpointEvery, 0),
    evalSplit: numberFlag('--eval-split', raw.evalSplit, (v) => v >= 0 && v < 1, 'a fraction in [0, 1)'),
    stream,
    standardize: raw.standardize === true,
    shuffleBuffer: integerFlag('--shuffle-buffer', raw.shuffleBuffer, 0),
    evalRows: integerFlag('--eval-rows', raw.evalRows, 1),
    evalSamples: integerFlag('--eval-samples', raw.evalSamples, 1),
    finalEvalSamples: integerFlag('--final-eval-samples', raw.finalEvalSamples, 1),
    out: raw.out,
  };
}
