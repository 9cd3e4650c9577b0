import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type DataMatrix, type Standardizer, applyStandardizer, trainTestSplit } from '@trientropy/data';
import { type AnyVae, type DeserializedVaeFile, deserializeVaeFile } from '@trientropy/models';
import { type CsvSettings, loadDataSource } from './load-data.js';
import type { MetricsFile } from './metrics-file.js';
import { RUN_FILES } from './run-directory.js';
import { AUTO_STANDARDIZED, type TrainSettings, standardizeModeOf } from './train-options.js';
import { UsageError } from './usage-error.js';

/** A trained model and, when it sits in a run directory, that run's metrics. */
export interface LoadedRun {
  model: AnyVae;
  modelPath: string;
  /** The run directory, when the model is in one. */
  directory: string | undefined;
  metrics: MetricsFile | undefined;
  /**
   * The standardisation the model was trained with (`train --standardize`): the model's inputs and outputs are in
   * its units; {@link evaluationData} applies it, {@link toOriginalUnits} undoes it. Read from the model file
   * (format version 2, checksummed); for a version 1 file (older builds) from the run's metrics.json.
   */
  standardizer: Standardizer | undefined;
  /**
   * Set when the model's units cannot be known: a version 1 VAE-1/2/3 model file (older builds, which recorded the
   * standardisation only in the run's metrics.json) with no metrics.json beside it. Such a file is used as if
   * trained on unstandardised data; commands print this warning.
   */
  unknownUnitsWarning: string | undefined;
}

/** The run's standardisation as metrics.json records it, checked against the model (D finite means, D finite stds ≥ 0). */
function metricsStandardizer(metrics: MetricsFile | undefined, dataDim: number, where: string): Standardizer | undefined {
  const recorded = metrics?.standardization;
  if (standardizeModeOf(metrics?.settings ?? {}) === 'off' && recorded === undefined) return undefined;
  const valid = (values: unknown, min: number): values is number[] => Array.isArray(values) && values.length === dataDim && values.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= min);
  if (recorded === undefined || !valid(recorded.mean, -Infinity) || !valid(recorded.std, 0)) {
    throw new Error(`${where}: the run was trained on standardised data, but its "standardization" record (${dataDim} means and stds) is missing or invalid, so its model's units are unknown`);
  }
  return { mean: Float64Array.from(recorded.mean), std: Float64Array.from(recorded.std) };
}

const sameValues = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.from(a).every((v, i) => v === b[i]);

/**
 * The model's standardisation. A version 2 model file carries its own (or none: the data's own units), which a
 * metrics.json beside it must not contradict; a version 1 file has none, so the run's metrics.json says.
 */
function standardizerOf(loaded: DeserializedVaeFile, metrics: MetricsFile | undefined, modelPath: string, metricsPath: string): Standardizer | undefined {
  if (loaded.version === 1) return metricsStandardizer(metrics, loaded.model.dataDim, metricsPath);
  const own = loaded.standardization === undefined ? undefined : { mean: Float64Array.from(loaded.standardization.mean), std: Float64Array.from(loaded.standardization.std) };
  if (metrics === undefined) return own;
  const recorded = metrics.standardization;
  const agree = own === undefined ? recorded === undefined && standardizeModeOf(metrics.settings ?? {}) === 'off' : recorded !== undefined && sameValues(own.mean, recorded.mean ?? []) && sameValues(own.std, recorded.std ?? []);
  if (!agree) {
    const describe = (s: { std: ArrayLike<number> } | undefined) => (s === undefined ? 'none' : `std [${Array.from(s.std).slice(0, 3).map((v) => v.toPrecision(6)).join(', ')}${s.std.length > 3 ? ', …' : ''}]`);
    throw new Error(`${metricsPath}: its standardisation (${describe(recorded)}) differs from the one ${modelPath} was saved with (${describe(own)}); the metrics belong to another run: pass the model file alone, or its own run directory`);
  }
  return own;
}

/** Values in the model's (standardised) units back in the original data's: `mean + std · v` per column (std 0 counts as 1, as in applyStandardizer). */
export function toOriginalUnits(values: Float32Array, cols: number, standardizer: Standardizer | undefined): Float32Array {
  if (standardizer === undefined) return values;
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const c = i % cols;
    const s = standardizer.std[c]!;
    out[i] = standardizer.mean[c]! + (s > 0 ? s : 1) * values[i]!;
  }
  return out;
}

/**
 * Loads `RUN_DIR` (its model.trientropy.json) or a `MODEL_FILE`. `argument` names the positional in errors.
 * A missing path is a usage error; an unreadable or corrupt model file a failure naming the file.
 */
export function loadRun(target: string, argument: string): LoadedRun {
  if (!existsSync(target)) throw new UsageError(`${argument}: ${target} does not exist`);
  const isDir = statSync(target).isDirectory();
  const modelPath = isDir ? join(target, RUN_FILES.model) : target;
  if (isDir && !existsSync(modelPath)) {
    throw new UsageError(`${argument}: ${target} has no ${RUN_FILES.model} (a run writes it when it completes; 'trientropy train --resume ${target}' finishes an interrupted one)`);
  }
  let loaded: DeserializedVaeFile;
  try {
    loaded = deserializeVaeFile(readFileSync(modelPath, 'utf8'));
  } catch (error) {
    throw new Error(`${argument}: ${modelPath} is not a readable trientropy model file (${(error instanceof Error ? error.message : String(error)).split('\n')[0]})`);
  }
  const directory = isDir ? target : existsSync(join(dirname(target), RUN_FILES.metrics)) ? dirname(target) : undefined;
  let metrics: MetricsFile | undefined;
  if (directory !== undefined) {
    try {
      metrics = JSON.parse(readFileSync(join(directory, RUN_FILES.metrics), 'utf8')) as MetricsFile;
    } catch {
      metrics = undefined;
    }
  }
  const { model } = loaded;
  let standardizer: Standardizer | undefined;
  try {
    standardizer = standardizerOf(loaded, metrics, modelPath, join(directory ?? dirname(modelPath), RUN_FILES.metrics));
  } catch (error) {
    model.dispose();
    throw error;
  }
  const unknownUnitsWarning =
    loaded.version === 1 && metrics === undefined && AUTO_STANDARDIZED.includes(model.kind)
      ? `warning: ${modelPath} is a version 1 model file (written before model files recorded their standardisation) with no ${RUN_FILES.metrics} beside it, so whether it was trained on standardised data (train's default for ${model.kind}: --standardize auto) is unknown; it is used as if trained on the data's own units, which is wrong for a standardised run: pass its run directory, or copy its ${RUN_FILES.metrics} beside the model file`
      : undefined;
  return { model, modelPath, directory, metrics, standardizer, unknownUnitsWarning };
}

/** The data a command evaluates on, where it came from, and its labels if any. */
export interface EvaluationData {
  /** The rows in the model's units: standardised with the run's standardisation, if it had one. */
  data: DataMatrix;
  /** The same rows in the original data's units. */
  original: DataMatrix;
  /** e.g. "held-out part of synthetic:pca (10000 points)". */
  description: string;
  dataName: string;
  labels?: Int32Array;
}

/**
 * The data for `eval`/`sample`/`plot`: `--data` (with the CSV flags) when given, else the run's own data set,
 * its held-out part where it has one (the test part or the `--eval-split` rows), its training rows otherwise.
 */
export async function evaluationData(run: LoadedRun, flags: { data?: string; dataDir?: string; csv: CsvSettings; seed?: number }, notes: (text: string) => void, prefer: 'held-out' | 'training' = 'held-out'): Promise<EvaluationData> {
  const settings = run.metrics?.settings as Partial<TrainSettings> | undefined;
  if (flags.data === undefined && settings?.data === undefined) {
    throw new UsageError(`--data: required for a model file outside a run directory (${run.modelPath})`);
  }
  const spec = flags.data ?? settings!.data!;
  const fromRun = flags.data === undefined;
  const loaded = await loadDataSource(
    { data: spec, dataDir: flags.dataDir ?? (fromRun ? settings?.dataDir : undefined), seed: flags.seed ?? settings?.seed ?? 0, csv: fromRun ? (settings?.csv ?? {}) : flags.csv },
    notes,
  );
  let train = loaded.data;
  let test = loaded.test;
  let labels = loaded.labels;
  let testLabels = loaded.testLabels;
  if (fromRun && (settings?.evalSplit ?? 0) > 0) {
    const split = trainTestSplit(loaded.data, { testFraction: settings!.evalSplit!, seed: settings!.seed ?? 0 });
    train = split.train;
    test = split.test;
    labels = undefined;
    testLabels = undefined;
  }
  const useTest = prefer === 'held-out' && test !== undefined;
  const data = useTest ? test! : train;
  if (data.cols !== run.model.dataDim) throw new UsageError(`--data: ${spec} has ${data.cols} columns, the model expects ${run.model.dataDim}`);
  return {
    data: run.standardizer === undefined ? data : applyStandardizer(data, run.standardizer),
    original: data,
    dataName: loaded.name,
    description: `${useTest ? 'held-out' : fromRun ? 'training' : 'all'} rows of ${loaded.name} (${data.rows} points)`,
    ...((useTest ? testLabels : labels) ? { labels: (useTest ? testLabels : labels)! } : {}),
  };
}
