import { type FileHandle, open } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { DataFormatError } from '../errors.js';
import { assertRegularFile, describeFileError, isGzipPath } from './file-errors.js';

const gunzipAsync = promisify(gunzip);

/** Largest decompressed size accepted: guards memory against a gzip bomb (2 GiB, more than any loader handles). */
export const MAX_INFLATED_BYTES = 2 ** 31;

/**
 * Reads a whole regular file into memory (devices, pipes and sockets are refused: they could be read without
 * bound), un-gzipping it when its name ends in `.gz` or its bytes start with
 * the gzip magic number (0x1f 0x8b; no IDX, NPY or text file of numbers starts that way).
 */
export async function readFileBytes(path: string): Promise<Uint8Array> {
  let raw: Buffer;
  let file: FileHandle | undefined;
  try {
    file = await open(path, 'r');
    assertRegularFile(path, await file.stat());
    raw = await file.readFile();
  } catch (error) {
    throw error instanceof DataFormatError ? error : describeFileError(path, error);
  } finally {
    await file?.close();
  }
  const looksGzipped = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
  if (!isGzipPath(path) && !looksGzipped) return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  try {
    const inflated = await gunzipAsync(raw, { maxOutputLength: MAX_INFLATED_BYTES });
    return new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
  } catch (error) {
    throw describeFileError(path, error);
  }
}
