import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type DataMatrix, trainTestSplit } from '@trientropy/data';
import { type AnyVae, deserializeVae } from '@trientropy/models';
import { type CsvSettings, loadDataSource } from './load-data.js';
import type { MetricsFile } from './metrics-file.js';
import { RUN_FILES } from './run-directory.js';
import type { TrainSettings } from './train-options.js';
import { UsageError } from './usage-error.js';

/** A trained model and, when it sits in a run directory, that run's metrics. */
export interface LoadedRun {
  model: AnyVae;
  modelPath: string;
  /** The run directory, when the model is in one. */
  directory: string | undefined;
  metrics: MetricsFile | undefined;
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
  let model: AnyVae;
  try {
    model = deserializeVae(readFileSync(modelPath, 'utf8'));
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
  if (metrics?.settings?.standardize === true) {
    throw new UsageError(
      `${argument}: ${target} was trained with --standardize; eval, sample and plot do not yet apply its standardisation (stored in ${RUN_FILES.metrics} as "standardization"), so they would feed the model data in the wrong units. Its final ELBO and entropies in the original units are in ${RUN_FILES.metrics}.`,
    );
  }
  return { model, modelPath, directory, metrics };
}

/** The data a command evaluates on, where it came from, and its labels if any. */
export interface EvaluationData {
  data: DataMatrix;
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
    data,
    dataName: loaded.name,
    description: `${useTest ? 'held-out' : fromRun ? 'training' : 'all'} rows of ${loaded.name} (${data.rows} points)`,
    ...((useTest ? testLabels : labels) ? { labels: (useTest ? testLabels : labels)! } : {}),
  };
}
