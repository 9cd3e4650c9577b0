import { open, type FileHandle } from 'node:fs/promises';
import { RowBatcher } from '../batching/row-batcher.js';
import type { DataMatrix } from '../data-matrix.js';
import { DataFormatError, InvalidArgumentError, checkInteger, describeValue } from '../errors.js';
import { assertRegularFile, describeFileError, isGzipPath } from '../io/file-errors.js';
import { SeededRandom } from '../random.js';
import { NPY_PREAMBLE_BYTES, type NpyHeader, npyDataOffset, parseNpyHeader } from './npy-header.js';
import { decodeNpyValues } from './npy-values.js';

/** Options of {@link npyBatches}. */
export interface NpyBatchOptions {
  /** Rows per minibatch. Default 1024. */
  batchSize?: number;
  /** Rows held in the seeded shuffle buffer; 0 (default) keeps file order. */
  shuffleBuffer?: number;
  /** Seed of the shuffle; each epoch draws its own seed from it. Default 0. */
  seed?: number;
  /** Drop the last batch when it has fewer than `batchSize` rows. Default false. */
  dropRemainder?: boolean;
  /** Read at most this many rows (from the top). Default: all. */
  maxRows?: number;
  /** Bytes read per disk access. Default 1 MiB. */
  chunkBytes?: number;
  /**
   * uint8 arrays: `'unit'` (default) divides by 255 into [0, 1], exactly as `loadDataset` does for the same file,
   * so streaming and in-memory training see the same data; `'raw'` keeps 0–255 (as `readNpy`).
   */
  uint8?: 'unit' | 'raw';
}

/** Largest NPY header accepted; numpy writes a few hundred bytes, so more means a corrupt file. */
const MAX_HEADER_BYTES = 1 << 20;

/**
 * A plain (uncompressed) `.npy` file streamed from disk as float32 minibatches: the first axis indexes
 * rows, the other axes are flattened into columns. Iterating it reads the file once (one epoch) with a
 * new shuffle order per epoch; memory stays bounded by the read chunk, the batch and the shuffle buffer,
 * so arrays larger than memory can train. Values are converted as by {@link readNpy}, and uint8 values are
 * scaled to [0, 1] as by `loadDataset` (option `uint8`); NaN/∞ are rejected when reached. Gzip files cannot be read in chunks at an offset and are
 * rejected: decompress them first, or load them whole with `readNpy`.
 */
export class NpyBatchSource implements AsyncIterable<DataMatrix> {
  readonly path: string;
  readonly batchSize: number;
  readonly shuffleBuffer: number;
  private readonly maxRows: number;
  private readonly chunkBytes: number;
  private readonly dropRemainder: boolean;
  private readonly scaleUint8: boolean;
  private readonly epochSeeds: SeededRandom;
  private layout: { header: NpyHeader; rows: number; cols: number } | undefined;

  constructor(path: string, options: NpyBatchOptions = {}) {
    if (typeof path !== 'string' || path.length === 0) throw new InvalidArgumentError('path', 'a non-empty file path', describeValue(path));
    if (isGzipPath(path)) throw new InvalidArgumentError('path', 'a plain .npy file (gzip cannot be streamed at an offset; gunzip it or use readNpy)', describeValue(path));
    this.path = path;
    this.batchSize = checkInteger(options.batchSize ?? 1024, 'options.batchSize', 1);
    this.shuffleBuffer = checkInteger(options.shuffleBuffer ?? 0, 'options.shuffleBuffer', 0);
    this.maxRows = options.maxRows === undefined ? Number.POSITIVE_INFINITY : checkInteger(options.maxRows, 'options.maxRows', 1);
    this.chunkBytes = checkInteger(options.chunkBytes ?? 1 << 20, 'options.chunkBytes', 1);
    this.dropRemainder = options.dropRemainder === true;
    const uint8 = options.uint8 ?? 'unit';
    if (uint8 !== 'unit' && uint8 !== 'raw') throw new InvalidArgumentError('options.uint8', "'unit' or 'raw'", describeValue(uint8));
    this.scaleUint8 = uint8 === 'unit';
    this.epochSeeds = new SeededRandom(checkInteger(options.seed ?? 0, 'options.seed', 0));
  }

  /** Shape and dtype of the file, known once an epoch has started. */
  get header(): NpyHeader | undefined {
    return this.layout?.header;
  }

  /** Starts one epoch: reads the file from the top, with the next shuffle seed drawn from `seed`. */
  [Symbol.asyncIterator](): AsyncIterator<DataMatrix> {
    return this.epoch(this.epochSeeds.nextSeed());
  }

  private async *epoch(seed: number): AsyncGenerator<DataMatrix> {
    let file: FileHandle;
    try {
      file = await open(this.path, 'r');
    } catch (error) {
      throw describeFileError(this.path, error);
    }
    try {
      const { header, rows, cols } = await this.readLayout(file);
      const rowBytes = cols * header.itemBytes;
      const rowsToRead = Math.min(rows, this.maxRows);
      const rowsPerChunk = Math.max(1, Math.floor(this.chunkBytes / rowBytes));
      const chunk = Buffer.alloc(rowsPerChunk * rowBytes);
      const batcher = new RowBatcher(cols, this.batchSize, this.shuffleBuffer, new SeededRandom(seed));
      const scale = this.scaleUint8 && header.dataType === 'uint8';
      for (let first = 0; first < rowsToRead; first += rowsPerChunk) {
        const count = Math.min(rowsPerChunk, rowsToRead - first);
        const { bytesRead } = await file.read(chunk, 0, count * rowBytes, header.dataOffset + first * rowBytes);
        if (bytesRead !== count * rowBytes) throw new DataFormatError(this.path, `row ${first}`, 'the file got shorter while it was read');
        for (let r = 0; r < count; r++) {
          const [target, offset] = batcher.rowTarget();
          decodeNpyValues(chunk.subarray(r * rowBytes, (r + 1) * rowBytes), header, cols, target, offset, this.path, (first + r) * cols);
          if (scale) for (let c = offset; c < offset + cols; c++) target[c] = target[c]! / 255;
          batcher.commitRow();
        }
        yield* batcher.takeReady();
      }
      batcher.finish(this.dropRemainder);
      yield* batcher.takeReady();
    } catch (error) {
      throw error instanceof DataFormatError || error instanceof InvalidArgumentError ? error : describeFileError(this.path, error);
    } finally {
      await file.close();
    }
  }

  private async readLayout(file: FileHandle): Promise<{ header: NpyHeader; rows: number; cols: number }> {
    const size = assertRegularFile(this.path, await file.stat()).size;
    const preamble = Buffer.alloc(Math.min(NPY_PREAMBLE_BYTES, size));
    await file.read(preamble, 0, preamble.length, 0);
    const dataOffset = npyDataOffset(preamble, this.path);
    if (dataOffset > Math.min(size, MAX_HEADER_BYTES)) {
      throw new DataFormatError(this.path, undefined, `truncated or corrupt NPY header: it ends at byte ${dataOffset}, the file has ${size} bytes`);
    }
    const headerBytes = Buffer.alloc(dataOffset);
    await file.read(headerBytes, 0, dataOffset, 0);
    const header = parseNpyHeader(headerBytes, this.path);
    const { shape } = header;
    if (shape.length === 0) throw new DataFormatError(this.path, 'header', 'holds a scalar; expected an array whose first axis indexes data points');
    const rows = shape[0]!;
    const cols = shape.slice(1).reduce((a, b) => a * b, 1);
    if (rows === 0 || cols === 0) throw new DataFormatError(this.path, 'header', `holds no data (shape (${shape.join(', ')}))`);
    const expected = dataOffset + rows * cols * header.itemBytes;
    if (size !== expected) {
      const what = size < expected ? 'truncated' : 'trailing bytes after the data';
      throw new DataFormatError(this.path, undefined, `${what}: shape (${shape.join(', ')}) of ${header.dataType} needs ${expected - dataOffset} data bytes after the ${dataOffset}-byte header, the file has ${size - dataOffset}`);
    }
    this.layout = { header, rows, cols };
    return this.layout;
  }
}

/**
 * Streams a plain `.npy` file as minibatches with bounded memory; see {@link NpyBatchSource}.
 *
 * @example
 * for await (const batch of npyBatches('features.npy', { batchSize: 512, shuffleBuffer: 50_000, seed: 1 })) {
 *   // batch.rows ≤ 512, batch.cols = product of the array's trailing axes
 * }
 */
export function npyBatches(path: string, options: NpyBatchOptions = {}): NpyBatchSource {
  return new NpyBatchSource(path, options);
}
