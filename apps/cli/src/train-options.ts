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

/**
 * What `train --standardize` accepts. `auto` resolves to {@link StandardizeMode} `shared` for the Gaussian models
 * with a learnable decoder variance trained by gradients (vae-1, vae-2, vae-3) and to `off` for the others
 * (vae-0's fixed σ² would change meaning; the linear VAE's closed-form EM needs no conditioning; a Bernoulli
 * decoder models [0, 1]) and with `--stream`.
 */
export const STANDARDIZE_CHOICES = ['auto', 'off', 'shared', 'per-column'] as const;
export type StandardizeChoice = (typeof STANDARDIZE_CHOICES)[number];

/**
 * How a run's data was standardised: `shared` centres every column and divides all by one scale (the isotropic
 * decoder N(μ(z), σ²I) and its optimum stay the same model, only in other units); `per-column` divides each column
 * by its own standard deviation (σ²I then means diag(σ² s_d²) in the original units: a different model).
 */
export type StandardizeMode = Exclude<StandardizeChoice, 'auto'>;

/** Adam steps that `train --epochs auto` aims at for the models trained by gradients (see {@link autoEpochs}). */
export const AUTO_EPOCH_STEPS = 30_000;

/** The most epochs `--epochs auto` gives: on small data every epoch's evaluation, closed-form steps and metrics rows would dominate. */
export const AUTO_MAX_EPOCHS = 1000;

/**
 * What `train --epochs auto` (the default) resolves to once the data's size is known, `batchesPerEpoch` batches per
 * epoch: for the linear VAE 200 epochs (its closed-form EM reaches ℓ_ML on every convergence-grid shape within 200:
 * `--stop-on-convergence` stopped there after 5–188); for every other model enough epochs for
 * {@link AUTO_EPOCH_STEPS} Adam steps, at most {@link AUTO_MAX_EPOCHS}. Gradient training converges in steps, not
 * epochs: 300 epochs on 4 000 rows (12 000 steps) left the grid's D = 12, H = 3 shape 3.1 % below ℓ_ML at seed 2,
 * 500 epochs (20 000 steps) 0.84 %; on 60 000 rows a fixed 300 epochs would be 180 000 steps.
 */
export function autoEpochs(model: VaeKind, batchesPerEpoch: number): number {
  if (model === 'linear') return 200;
  return Math.min(AUTO_MAX_EPOCHS, Math.ceil(AUTO_EPOCH_STEPS / batchesPerEpoch));
}

/** How many stationarity certificates `--certificate-every auto` spreads over a run (see {@link autoCertificateEvery}). */
export const AUTO_CERTIFICATES_PER_RUN = 20;

/**
 * What `train --certificate-every auto` (the default) resolves to for a run of `epochs`: about
 * {@link AUTO_CERTIFICATES_PER_RUN} certificates per run, the last epoch always among them. A certificate costs
 * tens of passes over up to 10 000 rows: every 5 epochs they took 43 % of a 300-epoch VAE-1 run on 4 000 rows.
 */
export function autoCertificateEvery(epochs: number): number {
  return Math.max(1, Math.round(epochs / AUTO_CERTIFICATES_PER_RUN));
}

/**
 * Steps of the KL warm-up that `--kl-anneal auto` takes in a run of `totalSteps`: a fifth of the run, at most 800
 * (so that every run, a short one too, trains its last four fifths on the ELBO itself, β = 1).
 */
export function autoKlAnnealSteps(totalSteps: number): number {
  return Math.min(800, Math.floor(totalSteps / 5));
}

/** Models that `--standardize auto` standardises (shared scale). */
export const AUTO_STANDARDIZED: readonly VaeKind[] = ['vae-1', 'vae-2', 'vae-3'];

/** The standardisation of a run's settings; checkpoints of older versions stored a boolean (true: per column) or nothing. */
export function standardizeModeOf(settings: Pick<TrainSettings, 'standardize'> | { standardize?: unknown }): StandardizeMode {
  const value = settings.standardize;
  if (value === true) return 'per-column';
  return value === 'shared' || value === 'per-column' ? value : 'off';
}

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
  /** `auto` until the run starts (then {@link autoEpochs}; recorded as the number it resolved to). */
  epochs: number | 'auto';
  batchSize: number;
  /** Draws of z per data point in each training step. Absent in older checkpoints (then 1). */
  samples?: number;
  learningRate: number;
  schedule: ScheduleKind;
  /**
   * Where `schedule: 'cosine'` ends, as a fraction of `learningRate` (`--lr-floor`), recorded when the run first
   * starts. Absent in older checkpoints, which keep the floor of the build that wrote them (recorded-schedules.ts).
   */
  cosineFinalFraction?: number;
  /**
   * The fraction of the run that `schedule: 'cosine'` holds at `learningRate` before its decay (`--lr-hold`, in
   * [0, 1)). Absent in older checkpoints and config files: no hold, 0 (recorded-schedules.ts).
   */
  lrHold?: number;
  /**
   * The fraction of the run, at its end, that `schedule: 'cosine'` stays at its floor after the decay (`--lr-tail`,
   * in [0, 1), with `lrHold + lrTail < 1`). Absent in older checkpoints and config files: no tail, 0 (recorded-schedules.ts).
   */
  lrTail?: number;
  seed: number;
  backend: BackendChoice;
  beta: number;
  /** Steps of linear KL annealing from β = 0 to `beta`; 0 for none; `auto`: {@link autoKlAnnealSteps}. */
  klAnneal: number | 'auto';
  /**
   * The warm-up's length in steps, fixed when the run first starts (what `auto` resolved to), so a run resumed with
   * more `--epochs` keeps it. Absent before the run starts and in older checkpoints (see recorded-schedules.ts).
   */
  klAnnealSteps?: number;
  optimalVariances: OptimalVarianceMode;
  /** Rescale latents to m_h = 1 every epoch (models with a scalar-σ² Gaussian decoder; ignored for others). */
  normalizeLatents: boolean;
  /** `--model linear`: closed-form EM sweeps at every epoch's end (0: Adam only); ignored for other models. Absent in older checkpoints. */
  emSweeps?: number;
  /**
   * Certify every this many epochs and the last (1 with --stop-on-convergence); `auto` until the run starts (then
   * {@link autoCertificateEvery}; recorded as the number). Absent in older checkpoints (then 1).
   */
  certificateEvery?: number | 'auto';
  /** Refit the decoder output layer by least squares every this many epochs (0: off); scalar-σ² Gaussian decoders only. Absent in older checkpoints (then 0). */
  decoderRefit?: number;
  /** Fraction of the epochs, from the start, in which `decoderRefit` runs. Absent in older checkpoints. */
  decoderRefitUntil?: number;
  /**
   * Steps of the end-of-run conjugate-gradient polish (`finalPolish` of @trientropy/trainers; 0: off; the linear VAE
   * ignores it). Absent in older checkpoints and config files (then 0).
   */
  polishSteps?: number;
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
   * Train on `(x − mean)/std` (fitted on the training rows; one shared std or one per column) and report ELBO,
   * entropy sum and entropies in the original data's units (plus the log-Jacobian −Σ_d log std_d). Resolved from
   * `--standardize` (never `auto` here). Older checkpoints stored a boolean (true: per column) or nothing (off):
   * read it with {@link standardizeModeOf}.
   */
  standardize?: StandardizeMode | boolean;
  /** Rows of the seeded shuffle buffer when streaming (0: file order). */
  shuffleBuffer: number;
  /** Rows kept in memory as the evaluation sample when streaming. */
  evalRows: number;
  evalSamples: number;
  finalEvalSamples: number;
  out: string | undefined;
}

/**
 * Defaults of `trientropy train`, chosen by measurement (tools/convergence/convergence-grid.mjs) so that VAE-1 ends
 * near the known optimum of pPCA data, the closed-form maximum log-likelihood ℓ_ML, rather than merely with a small
 * gap (which the closed-form steps give at any weights):
 * - `standardize: 'auto'`: VAE-1/2/3 train on centred data divided by one shared scale (same model family, other
 *   units; reported in the original units), so that offsets of 10 or scales of 0.1 need no long Adam walk;
 * - `klAnneal: 'auto'`, a warm-up of β from 0 to 1 over a fifth of the run, at most 800 steps: with σ² = 1 at the start (or R/D of an untrained decoder) every latent
 *   whose variance is below σ² collapses in the first epoch and hardly ever revives (measured: 0 of 5 latents active
 *   on a D=10, H=5 grid shape without it, 5 of 5 with it);
 * - `epochs: 'auto'`, a budget of 30 000 Adam steps (at most 1 000 epochs; 200 epochs for the linear VAE, see
 *   {@link autoEpochs}) of batches of 100 at learning rate 2e-2, held for the first half of the run (`lrHold: 0.5`),
 *   then a half cosine down to 2e-5 (`lrFloor: 0.001`): 750 epochs on 4 000 rows, 300 on the 10 000 of synthetic:pca.
 *   The two ill-conditioned grid shapes (column scales 0.1–4, noise 0.1) are limited by how far Adam can move the
 *   weights (about the learning rate per step) and then by Adam's jitter, which the decay removes: on D = 12, H = 3
 *   100 epochs at 1e-2 ended 26.5 % below ℓ_ML, at 2e-2 14 %; 200 epochs at 2e-2 2.1 % (2 Dec); with the hold and
 *   the lower floor 300 epochs (12 000 steps) ended within 1 % at seed 0 but 3.1 % short at seed 2 (3 Dec), 500
 *   epochs 0.84 % and 750 −0.25 % (above ℓ_ML; seed 4: 1.01 % after 500, 0.52 % after 750). At 750 epochs all nine grid shapes
 *   end within 0.14 % of ℓ_ML at seed 0 (71–94 s per run; tools/convergence/convergence-grid.mjs, 3 Dec 09:47 UTC).
 *   What did not help on D = 12, H = 3 at seed 2 (3 Dec): a lower rate (5e-3: 6.9 %, 1e-2: 4.3 %), a shorter hold
 *   (0.2: 4.7 %), averaging the iterates of the last 50 % or 20 % of the steps (−1.95 and −1.454 against −1.447), a
 *   least-squares refit of the decoder's output layer at the end (0.001 nats of the 0.04 missing); larger batches or
 *   more draws per point did worse (2 Dec);
 * - `lrTail: 0.2`: the decay reaches the floor at 80 % of the run and stays there for the last fifth, longer than
 *   the certificate's ELBO-change window (three certificates back, about 15 % of the run): with the decay running
 *   to the last step, every grid run's last certificate failed that test (the ELBO was still rising with the rate
 *   falling, by 4.2e-3 to 2.0e-1 of |ELBO| over the window); with the tail none did, and the nine shapes ended
 *   within 0.14 % of ℓ_ML at seed 0 as before (worst D = 5, H = 2; 3 Dec 12:41 UTC);
 * - `certificateEvery: 'auto'`: about 20 stationarity certificates per run ({@link autoCertificateEvery}).
 * Every epoch ends with the closed-form steps of the stationary-point conditions of the paper (arXiv 2010.14860)
 * (latents rescaled to m_h = 1, then σ² ← R/D) as accelerators; the stationarity certificate judges the result.
 */
export const TRAIN_DEFAULTS = {
  data: DEFAULT_DATASET,
  model: 'vae-1',
  latents: 2,
  hidden: '20,20',
  epochs: 'auto',
  batchSize: 100,
  samples: 1,
  learningRate: 2e-2,
  schedule: 'cosine',
  lrHold: 0.5,
  lrFloor: 0.001,
  lrTail: 0.2,
  seed: 0,
  backend: 'auto',
  beta: 1,
  klAnneal: 'auto',
  optimalVariances: 'epoch',
  emSweeps: 2000,
  certificateEvery: 'auto',
  decoderRefit: 0,
  decoderRefitUntil: 0.5,
  polishSteps: 0,
  earlyStop: 0,
  checkpointEvery: 0,
  evalSplit: 0,
  standardize: 'auto',
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
  samples: string;
  lr: string;
  schedule: string;
  /** `--lr-hold <fraction>`: the start of the run held at `--lr` by the cosine schedule. */
  lrHold: string;
  /** `--lr-tail <fraction>`: the end of the run kept at the floor by the cosine schedule. */
  lrTail: string;
  /** `--lr-floor <fraction>`: where the cosine schedule ends, as a fraction of `--lr`. */
  lrFloor: string;
  seed: string;
  backend: string;
  beta: string;
  klAnneal: string;
  optimalVariances: string;
  emSweeps: string;
  certificateEvery: string;
  decoderRefit: string;
  decoderRefitUntil: string;
  /** `--polish-steps <n>`: the end-of-run conjugate-gradient polish. */
  polishSteps: string;
  normalizeLatents?: boolean;
  earlyStop: string;
  stopOnConvergence?: boolean;
  clipNorm?: string;
  checkpointEvery: string;
  evalSplit: string;
  stream?: boolean;
  /** `--standardize <mode>`; commander gives `true` for a bare `--standardize` (per column, as before modes existed). */
  standardize: string | boolean;
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
  const model = choiceFlag('--model', raw.model, VAE_KINDS);
  const standardizeChoice = raw.standardize === true ? 'per-column' : choiceFlag('--standardize', String(raw.standardize), STANDARDIZE_CHOICES);
  if (stream && standardizeChoice !== 'auto' && standardizeChoice !== 'off') throw new UsageError('--standardize: not available with --stream (the standardisation is fitted on the loaded training rows)');
  if (model === 'bernoulli' && (standardizeChoice === 'shared' || standardizeChoice === 'per-column')) throw new UsageError('--standardize: a Bernoulli decoder models values in [0, 1], which standardised data leaves; choose a Gaussian model (vae-1)');
  const standardize: StandardizeMode = standardizeChoice !== 'auto' ? standardizeChoice : !stream && AUTO_STANDARDIZED.includes(model) ? 'shared' : 'off';
  const lrHold = numberFlag('--lr-hold', raw.lrHold, (v) => v >= 0 && v < 1, 'a number in [0, 1)');
  const lrTail = numberFlag('--lr-tail', raw.lrTail, (v) => v >= 0 && v < 1, 'a number in [0, 1)');
  if (!(lrHold + lrTail < 1)) throw new UsageError(`--lr-tail: expected a number below 1 − --lr-hold = ${1 - lrHold} (the decay needs part of the run), got '${raw.lrTail}'`);
  if (stream && raw.evalSplit !== '0') throw new UsageError('--eval-split: not available with --stream (the evaluation sample is the first --eval-rows rows)');
  return {
    data,
    dataDir: raw.dataDir,
    csv: parseCsvFlags(raw),
    model,
    modelOptions: optionPairs(raw.option),
    latents: integerFlag('--latents', raw.latents, 1, MODEL_SIZE_LIMITS.latentDim),
    hidden,
    epochs: raw.epochs.trim() === 'auto' ? 'auto' : integerFlag('--epochs', raw.epochs, 1),
    batchSize: integerFlag('--batch-size', raw.batchSize, 1),
    samples: integerFlag('--samples', raw.samples, 1, 1000),
    learningRate: numberFlag('--lr', raw.lr, (v) => v > 0, 'a number > 0'),
    schedule: choiceFlag('--schedule', raw.schedule, SCHEDULE_KINDS),
    // Only the cosine schedule reads these; with --schedule constant they are recorded but change nothing, as the
    // other flags for one mode (--em-sweeps without --model linear, --shuffle-buffer without --stream) are accepted.
    lrHold,
    lrTail,
    cosineFinalFraction: numberFlag('--lr-floor', raw.lrFloor, (v) => v >= 0 && v <= 1, 'a number in [0, 1]'),
    seed: seedFlag('--seed', raw.seed),
    backend: choiceFlag('--backend', raw.backend, BACKEND_CHOICES),
    beta: numberFlag('--beta', raw.beta, (v) => v >= 0, 'a number ≥ 0'),
    klAnneal: raw.klAnneal.trim() === 'auto' ? 'auto' : integerFlag('--kl-anneal', raw.klAnneal, 0),
    optimalVariances: choiceFlag('--optimal-variances', raw.optimalVariances, OPTIMAL_VARIANCE_MODES),
    normalizeLatents: raw.normalizeLatents !== false,
    emSweeps: integerFlag('--em-sweeps', raw.emSweeps, 0),
    certificateEvery: raw.certificateEvery.trim() === 'auto' ? 'auto' : integerFlag('--certificate-every', raw.certificateEvery, 1),
    decoderRefit: integerFlag('--decoder-refit', raw.decoderRefit, 0),
    decoderRefitUntil: numberFlag('--decoder-refit-until', raw.decoderRefitUntil, (v) => v > 0 && v <= 1, 'a fraction in (0, 1]'),
    polishSteps: integerFlag('--polish-steps', raw.polishSteps, 0),
    earlyStop: integerFlag('--early-stop', raw.earlyStop, 0),
    stopOnConvergence: raw.stopOnConvergence === true,
    clipNorm: raw.clipNorm === undefined ? undefined : numberFlag('--clip-norm', raw.clipNorm, (v) => v > 0, 'a number > 0'),
    checkpointEvery: integerFlag('--checkpoint-every', raw.checkpointEvery, 0),
    evalSplit: numberFlag('--eval-split', raw.evalSplit, (v) => v >= 0 && v < 1, 'a fraction in [0, 1)'),
    stream,
    standardize,
    shuffleBuffer: integerFlag('--shuffle-buffer', raw.shuffleBuffer, 0),
    evalRows: integerFlag('--eval-rows', raw.evalRows, 1),
    evalSamples: integerFlag('--eval-samples', raw.evalSamples, 1),
    finalEvalSamples: integerFlag('--final-eval-samples', raw.finalEvalSamples, 1),
    out: raw.out,
  };
}
