import { RowBatcher } from '../batching/row-batcher.js';
import type { DataMatrix } from '../data-matrix.js';
import { DataFormatError, InvalidArgumentError, checkInteger, checkSeed, describeValue } from '../errors.js';
import { LineSplitter, readTextChunks } from '../io/text-chunks.js';
import { SeededRandom } from '../random.js';
import { CsvLineParser } from './csv-line-parser.js';
import type { CsvOptions } from './csv-options.js';

/** Options of {@link csvBatches}: the CSV options plus batching and shuffling. */
export interface CsvBatchOptions extends CsvOptions {
  /** Rows per minibatch. Default 1024 (the paper's SUSY batch size). */
  batchSize?: number;
  /**
   * Rows held in the shuffle buffer; 0 (default) keeps file order. With a buffer of B rows, each output
   * row is drawn uniformly from the next B candidates (the `tf.data` shuffle-buffer scheme): a full
   * shuffle needs B ≥ the number of rows, but memory grows with B, not with the file.
   */
  shuffleBuffer?: number;
  /** Seed of the shuffle; each epoch draws its own seed from it. Default 0. */
  seed?: number;
  /** Drop the last batch when it has fewer than `batchSize` rows. Default false. */
  dropRemainder?: boolean;
}

/**
 * A CSV file streamed from disk as float32 minibatches. Iterating it (`for await (const batch of
 * source)`) reads the file once — one epoch; iterating again reads it again, with a new shuffle order
 * drawn from the seed. Memory stays bounded by the 1 MiB read chunk, the batch and the shuffle buffer,
 * whatever the file size (see tools/bench/stream-csv-rss.mjs), so files larger than memory can train.
 * Errors are those of {@link readCsv}, raised when the read chunk holding the bad line is parsed (batches
 * from earlier in that chunk are not delivered).
 */
export class CsvBatchSource implements AsyncIterable<DataMatrix> {
  readonly path: string;
  readonly batchSize: number;
  readonly shuffleBuffer: number;
  private readonly options: CsvBatchOptions;
  private readonly epochSeeds: SeededRandom;
  private names: readonly string[] | undefined;

  constructor(path: string, options: CsvBatchOptions = {}) {
    if (typeof path !== 'string' || path.length === 0) throw new InvalidArgumentError('path', 'a non-empty file path', describeValue(path));
    this.path = path;
    this.batchSize = checkInteger(options.batchSize ?? 1024, 'options.batchSize', 1);
    this.shuffleBuffer = checkInteger(options.shuffleBuffer ?? 0, 'options.shuffleBuffer', 0);
    this.epochSeeds = new SeededRandom(checkSeed(options.seed ?? 0, 'options.seed'));
    this.options = options;
    // Validate the CSV options now rather than on the first read.
    new CsvLineParser(options, path);
  }

  /** Header names of the output columns, known once an epoch has started (undefined without a header). */
  get columnNames(): readonly string[] | undefined {
    return this.names;
  }

  /** Starts one epoch: reads the file from the top, with the next shuffle seed drawn from `seed`. */
  [Symbol.asyncIterator](): AsyncIterator<DataMatrix> {
    return this.epoch(this.epochSeeds.nextSeed());
  }

  private async *epoch(seed: number): AsyncGenerator<DataMatrix> {
    const parser = new CsvLineParser(this.options, this.path);
    const splitter = new LineSplitter(parser.source);
    let batcher: RowBatcher | undefined;
    let total = 0;
    const onLine = (line: string, lineNumber: number): void => {
      if (total >= parser.maxRows) return;
      const cells = parser.prepare(line, lineNumber);
      if (cells === undefined) return;
      if (batcher === undefined) {
        this.names = parser.columnNames;
        batcher = new RowBatcher(parser.cols, this.batchSize, this.shuffleBuffer, new SeededRandom(seed));
      }
      const [target, offset] = batcher.rowTarget();
      parser.writeRow(cells, lineNumber, target, offset);
      batcher.commitRow();
      total++;
    };

    for await (const chunk of readTextChunks(this.path)) {
      splitter.push(chunk, onLine);
      if (batcher !== undefined) yield* batcher.takeReady();
      if (total >= parser.maxRows) break; // closes the file; the rest is not read
    }
    splitter.end(onLine);
    if (batcher === undefined) {
      const what = parser.started ? 'a header but no data rows' : 'no data (the file is empty or only blank lines)';
      throw new DataFormatError(parser.source, undefined, `found ${what}`);
    }
    batcher.finish(this.options.dropRemainder === true);
    yield* batcher.takeReady();
  }
}

/**
 * Streams a CSV file (plain or `.gz`) as minibatches with bounded memory; see {@link CsvBatchSource}.
 *
 * @example
 * for await (const batch of csvBatches('SUSY.csv', { batchSize: 1024, dropColumns: [0], shuffleBuffer: 100_000 })) {
 *   // batch.rows ≤ 1024, batch.cols = 18
 * }
 */
export function csvBatches(path: string, options: CsvBatchOptions = {}): CsvBatchSource {
  return new CsvBatchSource(path, options);
}
