import { type BatchSource } from '@trientropy/trainers';
import { type CsvOptions, type DataMatrix, dataMatrix } from '@trientropy/data';
import { csvBatches, npyBatches } from '@trientropy/data/node';
import { csvOptionsFor } from './load-data.js';
import type { TrainSettings } from './train-options.js';
import { UsageError } from './usage-error.js';

/** A file opened for `train --stream`: the batch source, the rows kept in memory for evaluation, the row count. */
export interface StreamedData {
  source: BatchSource;
  evaluation: DataMatrix;
  rows: number;
  description: string;
}

/** File types `--stream` reads batch by batch. */
export function isStreamable(path: string): boolean {
  return /\.(csv|csv\.gz|npy)$/i.test(path);
}

function openSource(path: string, batchSize: number, shuffleBuffer: number, seed: number, csv: CsvOptions): AsyncIterable<DataMatrix> {
  return /\.npy$/i.test(path) ? npyBatches(path, { batchSize, shuffleBuffer, seed }) : csvBatches(path, { ...csv, batchSize, shuffleBuffer, seed });
}

/**
 * Opens `--data` for streaming. One unshuffled pass counts the rows (schedules need the number of steps) and
 * keeps the first `--eval-rows` rows in memory as the evaluation sample; memory stays bounded by that sample.
 */
export async function openStreamedData(settings: TrainSettings): Promise<StreamedData> {
  if (!isStreamable(settings.data)) throw new UsageError(`--stream: expected --data to be a .csv, .csv.gz or .npy file, got '${settings.data}'`);
  const csv = csvOptionsFor(settings.data, settings.csv).options;
  const kept: DataMatrix[] = [];
  let keptRows = 0;
  let rows = 0;
  try {
    for await (const batch of openSource(settings.data, settings.batchSize, 0, settings.seed, csv)) {
      rows += batch.rows;
      if (keptRows < settings.evalRows) {
        const take = Math.min(batch.rows, settings.evalRows - keptRows);
        kept.push(dataMatrix(batch.values.slice(0, take * batch.cols), take, batch.cols));
        keptRows += take;
      }
    }
  } catch (error) {
    // The loaders' messages start with the path; the flag it came from makes it one clear line.
    throw new Error(`--data: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (rows === 0) throw new Error(`--data: ${settings.data} has no data rows`);
  const cols = kept[0]!.cols;
  const values = new Float32Array(keptRows * cols);
  let offset = 0;
  for (const part of kept) {
    values.set(part.values, offset);
    offset += part.values.length;
  }
  return {
    source: openSource(settings.data, settings.batchSize, settings.shuffleBuffer, settings.seed, csv),
    evaluation: dataMatrix(values, keptRows, cols),
    rows,
    description: `${settings.data}: ${rows} × ${cols}, streamed from disk in batches of ${settings.batchSize} (shuffle buffer ${settings.shuffleBuffer} rows); the first ${keptRows} rows are the evaluation sample`,
  };
}
