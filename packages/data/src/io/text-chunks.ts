import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { DataFormatError } from '../errors.js';
import { assertRegularFile, describeFileError, isGzipPath } from './file-errors.js';

/** Size of the pieces read from disk; with it, memory stays bounded whatever the file size. */
export const TEXT_CHUNK_BYTES = 1 << 20;

/**
 * Streams a UTF-8 text file (plain, or gzip when the name ends in `.gz` or the bytes start with the gzip
 * magic number) as decoded string chunks of about {@link TEXT_CHUNK_BYTES}. Multi-byte characters split
 * across chunks are reassembled; a leading byte-order mark is dropped.
 */
export async function* readTextChunks(path: string): AsyncGenerator<string> {
  try {
    assertRegularFile(path, await stat(path));
  } catch (error) {
    throw error instanceof DataFormatError ? error : describeFileError(path, error);
  }
  const file = createReadStream(path, { highWaterMark: TEXT_CHUNK_BYTES });
  const gzipped = isGzipPath(path) || startsWithGzipMagic(path);
  const stream: Readable = gzipped ? file.pipe(createGunzip({ chunkSize: TEXT_CHUNK_BYTES })) : file;
  if (stream !== file) file.on('error', (error) => stream.destroy(error));
  const decoder = new StringDecoder('utf8');
  let first = true;
  try {
    for await (const chunk of stream) {
      let text = decoder.write(chunk as Buffer);
      // A UTF-8 byte-order mark (spreadsheet exports) would otherwise stick to the first cell.
      if (first && text.length > 0) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      if (text.length > 0) yield text;
    }
    const rest = decoder.end();
    if (rest.length > 0) yield rest;
  } catch (error) {
    throw describeFileError(path, error);
  } finally {
    stream.destroy();
    file.destroy();
  }
}

/** Whether the file starts with the gzip magic bytes 0x1f 0x8b (no text file of numbers does). */
function startsWithGzipMagic(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch {
    return false; // the stream reports the real problem (missing file, directory, …)
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Longest line accepted by {@link LineSplitter} by default (characters). */
export const MAX_LINE_LENGTH = 1 << 24;

/**
 * Splits streamed text into lines (without `\n` or `\r\n`), calling `onLine` with 1-based line numbers.
 * Keeps the unfinished last line of a chunk until the next chunk arrives.
 */
export class LineSplitter {
  private carry = '';
  private lineNumber = 0;

  /**
   * @param source name for error messages
   * @param maxLineLength longest accepted line; guards memory against a huge file without line breaks
   */
  constructor(
    private readonly source: string,
    private readonly maxLineLength = MAX_LINE_LENGTH,
  ) {}

  /** Feeds one chunk; calls `onLine` for every line completed by it. */
  push(chunk: string, onLine: (line: string, lineNumber: number) => void): void {
    let text = this.carry.length > 0 ? this.carry + chunk : chunk;
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n', start);
      if (end < 0) break;
      this.lineNumber++;
      onLine(text.charCodeAt(end - 1) === 13 && end > start ? text.slice(start, end - 1) : text.slice(start, end), this.lineNumber);
      start = end + 1;
    }
    this.carry = start < text.length ? text.slice(start) : '';
    text = '';
    if (this.carry.length > this.maxLineLength) {
      throw new DataFormatError(this.source, `line ${this.lineNumber + 1}`, `line longer than ${this.maxLineLength} characters; is this a text file with line breaks?`);
    }
  }

  /** Flushes the last line when the text did not end with a line break. */
  end(onLine: (line: string, lineNumber: number) => void): void {
    if (this.carry.length > 0) {
      this.lineNumber++;
      const line = this.carry.endsWith('\r') ? this.carry.slice(0, -1) : this.carry;
      this.carry = '';
      onLine(line, this.lineNumber);
    }
  }
}
