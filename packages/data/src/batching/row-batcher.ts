import { type DataMatrix, dataMatrix } from '../data-matrix.js';
import type { SeededRandom } from '../random.js';

/**
 * Turns a stream of rows into minibatches, optionally through a seeded shuffle buffer (the `tf.data`
 * scheme: with a buffer of B rows, each output row is drawn uniformly from the B rows waiting). Shared
 * by the streaming CSV and NPY sources. The caller writes each row in place ({@link rowTarget}, then
 * {@link commitRow}), so rows are copied at most once into the buffer and once into a batch.
 */
export class RowBatcher {
  private readonly ready: DataMatrix[] = [];
  private batch: Float32Array;
  private filled = 0;
  private readonly buffer: Float32Array;
  private buffered = 0;
  private readonly incoming: Float32Array;

  constructor(
    readonly cols: number,
    readonly batchSize: number,
    readonly shuffleBuffer: number,
    private readonly rng: SeededRandom,
  ) {
    this.batch = new Float32Array(batchSize * cols);
    this.buffer = new Float32Array(shuffleBuffer * cols);
    this.incoming = new Float32Array(shuffleBuffer > 0 ? cols : 0);
  }

  /** Where to write the next row: an array and the offset of the row's first value. */
  rowTarget(): [Float32Array, number] {
    if (this.shuffleBuffer === 0) return [this.batch, this.filled * this.cols];
    if (this.buffered < this.shuffleBuffer) return [this.buffer, this.buffered * this.cols];
    return [this.incoming, 0];
  }

  /** Accepts the row written at {@link rowTarget}. */
  commitRow(): void {
    if (this.shuffleBuffer === 0) {
      this.filled++;
      if (this.filled === this.batchSize) this.emitBatch();
    } else if (this.buffered < this.shuffleBuffer) {
      this.buffered++;
    } else {
      const j = this.rng.integer(this.shuffleBuffer);
      this.pushRow(this.buffer, j * this.cols);
      this.buffer.set(this.incoming, j * this.cols);
    }
  }

  /** Ends the stream: the buffered rows leave in random order, then the last partial batch unless dropped. */
  finish(dropRemainder: boolean): void {
    for (const j of this.rng.permutation(this.buffered)) this.pushRow(this.buffer, j * this.cols);
    this.buffered = 0;
    if (this.filled > 0 && !dropRemainder) this.ready.push(dataMatrix(this.batch.slice(0, this.filled * this.cols), this.filled, this.cols));
    this.filled = 0;
  }

  /** Removes and returns the completed batches. */
  takeReady(): DataMatrix[] {
    return this.ready.splice(0, this.ready.length);
  }

  private pushRow(source: Float32Array, offset: number): void {
    this.batch.set(source.subarray(offset, offset + this.cols), this.filled * this.cols);
    this.filled++;
    if (this.filled === this.batchSize) this.emitBatch();
  }

  private emitBatch(): void {
    // The consumer keeps the batch, so the next one needs fresh memory.
    this.ready.push(dataMatrix(this.batch, this.batchSize, this.cols));
    this.batch = new Float32Array(this.batchSize * this.cols);
    this.filled = 0;
  }
}
