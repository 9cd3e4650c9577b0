import { DataFormatError, InvalidArgumentError, describeValue } from '../errors.js';
import type { NdArray } from '../nd-array.js';
import { checkAllFinite, elementCount } from './finite-check.js';

/** Element types of the IDX format (MNIST's file format) by their type byte. */
const IDX_TYPES: Record<number, { name: IdxDataType; bytes: number }> = {
  0x08: { name: 'uint8', bytes: 1 },
  0x09: { name: 'int8', bytes: 1 },
  0x0b: { name: 'int16', bytes: 2 },
  0x0c: { name: 'int32', bytes: 4 },
  0x0d: { name: 'float32', bytes: 4 },
  0x0e: { name: 'float64', bytes: 8 },
};

/** Element type stored in an IDX file. */
export type IdxDataType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** An IDX array: its values as float32 (not rescaled: uint8 pixels stay 0–255), its shape and stored type. */
export interface IdxArray extends NdArray {
  readonly dataType: IdxDataType;
}

/**
 * Parses the bytes of an IDX file (the MNIST / Fashion-MNIST format: two zero bytes, a type byte, the
 * number of dimensions, big-endian uint32 sizes, then big-endian values). Truncated data, trailing
 * bytes, unknown types and wrong magic bytes are rejected with a {@link DataFormatError} naming `source`.
 */
export function parseIdx(bytes: Uint8Array, source = '<bytes>'): IdxArray {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError('bytes', 'a Uint8Array', describeValue(bytes));
  if (bytes.length < 4) throw new DataFormatError(source, undefined, `not an IDX file: ${bytes.length} bytes, shorter than the 4-byte magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataFormatError(source, 'byte 0', `not an IDX file: magic starts with 0x${hex(bytes[0]!)} 0x${hex(bytes[1]!)}, expected 0x00 0x00${gzipHint(bytes)}`);
  }
  const type = IDX_TYPES[bytes[2]!];
  if (type === undefined) {
    throw new DataFormatError(source, 'byte 2', `unknown IDX type byte 0x${hex(bytes[2]!)}; expected one of 0x08 (uint8), 0x09, 0x0b, 0x0c, 0x0d, 0x0e`);
  }
  const rank = bytes[3]!;
  if (rank === 0) throw new DataFormatError(source, 'byte 3', 'IDX arrays need at least one dimension, found 0');
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new DataFormatError(source, undefined, `truncated IDX header: ${rank} dimensions need ${headerBytes} header bytes, the file has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = elementCount(shape);
  if (count === undefined) throw new DataFormatError(source, undefined, `IDX shape [${shape.join(', ')}] is too large to load`);
  const expected = headerBytes + count * type.bytes;
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'trailing bytes after the data';
    throw new DataFormatError(
      source,
      undefined,
      `${what}: shape [${shape.join(', ')}] of ${type.name} needs ${expected} bytes (${headerBytes} header + ${count * type.bytes} data), the file has ${bytes.length}`,
    );
  }
  const values = new Float32Array(count);
  const offset = headerBytes;
  switch (type.name) {
    case 'uint8':
      values.set(bytes.subarray(offset, offset + count));
      break;
    case 'int8':
      for (let i = 0; i < count; i++) values[i] = view.getInt8(offset + i);
      break;
    case 'int16':
      for (let i = 0; i < count; i++) values[i] = view.getInt16(offset + 2 * i, false);
      break;
    case 'int32':
      for (let i = 0; i < count; i++) values[i] = view.getInt32(offset + 4 * i, false);
      break;
    case 'float32':
      for (let i = 0; i < count; i++) values[i] = view.getFloat32(offset + 4 * i, false);
      checkAllFinite(values, source);
      break;
    case 'float64':
      for (let i = 0; i < count; i++) values[i] = view.getFloat64(offset + 8 * i, false);
      checkAllFinite(values, source);
      break;
  }
  return { shape, values, dataType: type.name };
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

function gzipHint(bytes: Uint8Array): string {
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? ' (this looks like gzip data: give the file a .gz name)' : '';
}
