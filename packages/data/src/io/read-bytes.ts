import { readFile } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { describeFileError, isGzipPath } from './file-errors.js';

const gunzipAsync = promisify(gunzip);

/** Reads a whole file into memory, un-gzipping it when its name ends in `.gz`. */
export async function readFileBytes(path: string): Promise<Uint8Array> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (error) {
    throw describeFileError(path, error);
  }
  if (!isGzipPath(path)) return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  try {
    const inflated = await gunzipAsync(raw);
    return new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
  } catch (error) {
    throw describeFileError(path, error);
  }
}
