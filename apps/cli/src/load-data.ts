import { closeSync, openSync, readSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { type CsvOptions, DataFormatError, InvalidArgumentError, acceptedDatasetSpecs } from '@trientropy/data';
import { type LoadedDataset, loadDataset } from '@trientropy/data/node';
import { UsageError } from './usage-error.js';

/** The CSV flags of `train`/`eval`/`sample` (`--columns`, `--drop-columns`, `--delimiter`, `--header`). */
export interface CsvSettings {
  columns?: (string | number)[];
  dropColumns?: (string | number)[];
  delimiter?: string;
  header?: boolean | 'auto';
}

/** Where the data of a run comes from: the `--data` spec, `--data-dir`, the seed of synthetic sets and the CSV flags. */
export interface DataSource {
  data: string;
  dataDir: string | undefined;
  seed: number;
  csv: CsvSettings;
}

function isCsvPath(spec: string): boolean {
  return /\.csv(\.gz)?$/i.test(spec);
}

/** The first line of a (possibly gzipped) text file, or undefined when it cannot be read. */
function firstLine(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(65536);
    const bytes = readSync(fd, buffer, 0, buffer.length, 0);
    let text: string;
    if (/\.gz$/i.test(path)) {
      // A truncated gzip stream: take what decompresses.
      try {
        text = gunzipSync(buffer.subarray(0, bytes), { finishFlush: 2 }).toString('utf8');
      } catch {
        return undefined;
      }
    } else text = buffer.subarray(0, bytes).toString('utf8');
    return text.replace(/^\uFEFF/, '').split(/\r?\n/)[0];
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The CSV options for a file: the flags as given, plus one inference. A header whose first cell is empty
 * (pandas' default `to_csv()` writes its index that way) marks the first column as an index: it is dropped
 * unless `--columns` picks columns itself. Returns the options and a note saying what was inferred.
 */
export function csvOptionsFor(path: string, csv: CsvSettings): { options: CsvOptions; note?: string } {
  const options: CsvOptions = { ...csv };
  const line = firstLine(path);
  if (line === undefined || csv.columns !== undefined || csv.header === false) return { options };
  const cells = line.split(csv.delimiter ?? ',');
  const rest = cells.slice(1);
  if (cells.length > 1 && cells[0]!.trim() === '' && rest.length > 0 && rest.some((c) => c.trim() !== '' && !Number.isFinite(Number(c)))) {
    return {
      options: { ...options, header: true, dropColumns: [0, ...(csv.dropColumns ?? [])] },
      note: `${path}: the header's first cell is empty, so column 0 is read as a row index (pandas' to_csv default) and dropped`,
    };
  }
  return { options };
}

function delimiterHint(path: string, csv: CsvSettings): string {
  if (csv.delimiter !== undefined) return '';
  const line = firstLine(path);
  if (line === undefined || line.includes(',')) return '';
  for (const [char, name] of [[';', "';'"], ['\t', 'tab']] as const) if (line.includes(char)) return ` (the file looks ${name}-separated: pass --delimiter ${char === '\t' ? 'tab' : "';'"})`;
  return '';
}

/** The accepted `--data` forms as a short list for one-line errors. */
export function dataSpecList(): string {
  return acceptedDatasetSpecs().join(', ');
}

/**
 * Loads `--data` with the CSV flags. Errors name `--data`: an unknown spec is a usage error (exit 2), a missing
 * or malformed file a failure (exit 1), each as one line.
 */
export async function loadDataSource(source: DataSource, notes: (text: string) => void = () => {}): Promise<LoadedDataset> {
  const csv: { options?: CsvOptions; note?: string } = isCsvPath(source.data) ? csvOptionsFor(source.data, source.csv) : {};
  if (csv.note) notes(csv.note);
  try {
    return await loadDataset(source.data, { dataDir: source.dataDir, seed: source.seed, ...(csv.options ? { csv: csv.options } : {}) });
  } catch (error) {
    if (error instanceof InvalidArgumentError && error.argument === 'spec') {
      throw new UsageError(`--data: unknown data set '${source.data}'; expected one of: ${dataSpecList()} ('trientropy train --help' describes each)`);
    }
    if (error instanceof InvalidArgumentError && error.argument.startsWith('spec')) throw new UsageError(`--data: ${error.message}`);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`--data: ${source.data}: no such file${source.dataDir ? ` (--data-dir ${source.dataDir})` : ''}`);
    if (code === 'EISDIR') throw new Error(`--data: ${source.data} is a directory, expected a data file`);
    if (error instanceof DataFormatError && isCsvPath(source.data)) throw new Error(`--data: ${error.message}${delimiterHint(source.data, source.csv)}`);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(message.startsWith('--data') ? message : `--data: ${message}`);
  }
}
