import { readFileBytes } from '../io/read-bytes.js';
import { type NpyArray, parseNpy } from './npy.js';

/** Reads an NPY file (plain, or gzip when the name ends in `.gz`); see {@link parseNpy}. */
export async function readNpy(path: string): Promise<NpyArray> {
  return parseNpy(await readFileBytes(path), path);
}
