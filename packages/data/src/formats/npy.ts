import { DataFormatError, InvalidArgumentError, describeValue } from '../errors.js';
import type { NdArray } from '../nd-array.js';
import { elementCount } from './finite-check.js';
import { type NpyDataType, parseNpyHeader } from './npy-header.js';
import { decodeNpyValues } from './npy-values.js';

export type { NpyDataType };

/** An array read from an NPY file, converted to float32 (uint8 values stay 0–255). */
export interface NpyArray extends NdArray {
  readonly dataType: NpyDataType;
}

/**
 * Parses the bytes of a NumPy `.npy` file (format versions 1–3): float32, float64 or uint8 (either byte
 * order) in C order. Fortran-order arrays (unless their layout equals C order), other dtypes (integers
 * wider than 8 bits, float16, bool, structured, object), truncated data, non-finite values and
 * malformed headers are rejected with a {@link DataFormatError} naming `source`.
 */
export function parseNpy(bytes: Uint8Array, source = '<bytes>'): NpyArray {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError('bytes', 'a Uint8Array', describeValue(bytes));
  const header = parseNpyHeader(bytes, source);
  const { shape, dataOffset, itemBytes, dataType } = header;
  const count = elementCount(shape);
  if (count === undefined) throw new DataFormatError(source, 'header', `shape (${shape.join(', ')}) is too large to load`);
  const expected = dataOffset + count * itemBytes;
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'trailing bytes after the data';
    throw new DataFormatError(source, undefined, `${what}: shape (${shape.join(', ')}) of ${dataType} needs ${count * itemBytes} data bytes after the ${dataOffset}-byte header, the file has ${bytes.length - dataOffset}`);
  }
  const values = new Float32Array(count);
  decodeNpyValues(bytes.subarray(dataOffset), header, count, values, 0, source, 0);
  return { shape, values, dataType };
}
