import { readFileBytes } from '../io/read-bytes.js';
import { type IdxArray, parseIdx } from './idx.js';

/** Reads an IDX file (plain, or gzip when the name ends in `.gz`); see {@link parseIdx}. */
export async function readIdx(path: string): Promise<IdxArray> {
  return parseIdx(await readFileBytes(path), path);
}
