import { DataFormatError, InvalidArgumentError, describeValue } from '../errors.js';
import { readFileBytes } from '../io/read-bytes.js';
import type { NdArray } from '../nd-array.js';
import { checkAllFinite, elementCount } from './finite-check.js';

/** NumPy dtypes the NPY reader accepts. */
export type NpyDataType = 'float32' | 'float64' | 'uint8';

/** An array read from an NPY file, converted to float32 (uint8 values stay 0–255). */
export interface NpyArray extends NdArray {
  readonly dataType: NpyDataType;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

const DESCRS: Record<string, { type: NpyDataType; bytes: number; littleEndian: boolean }> = {
  '<f4': { type: 'float32', bytes: 4, littleEndian: true },
  '>f4': { type: 'float32', bytes: 4, littleEndian: false },
  '<f8': { type: 'float64', bytes: 8, littleEndian: true },
  '>f8': { type: 'float64', bytes: 8, littleEndian: false },
  '|u1': { type: 'uint8', bytes: 1, littleEndian: true },
  '<u1': { type: 'uint8', bytes: 1, littleEndian: true },
  '>u1': { type: 'uint8', bytes: 1, littleEndian: true },
};

/**
 * Parses the bytes of a NumPy `.npy` file (format versions 1–3): float32, float64 or uint8 (either byte
 * order) in C order. Fortran-order arrays (unless their layout equals C order), other dtypes (integers wider than 8 bits, float16, bool, structured, object),
 * truncated data and malformed headers are rejected with a {@link DataFormatError} naming `source`.
 */
export function parseNpy(bytes: Uint8Array, source = '<bytes>'): NpyArray {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError('bytes', 'a Uint8Array', describeValue(bytes));
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new DataFormatError(source, 'byte 0', 'not an NPY file: it does not start with the magic string "\\x93NUMPY"');
  }
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new DataFormatError(source, 'byte 6', `unsupported NPY format version ${major}.${bytes[7]}; expected 1.x, 2.x or 3.x`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw new DataFormatError(source, undefined, 'truncated NPY header');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataOffset = 8 + lengthBytes + headerLength;
  if (bytes.length < dataOffset) {
    throw new DataFormatError(source, undefined, `truncated NPY header: it declares ${headerLength} header bytes, the file has ${bytes.length - 8 - lengthBytes}`);
  }
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lengthBytes, dataOffset));
  const { descr, fortranOrder, shape } = parseHeader(header, source);
  const dtype = DESCRS[descr];
  if (dtype === undefined) {
    throw new DataFormatError(source, 'header', `unsupported dtype ${JSON.stringify(descr)}; supported: float32 ('<f4'), float64 ('<f8'), uint8 ('|u1') (convert with numpy's astype)`);
  }
  // With at most one axis longer than 1, Fortran and C order lay the values out identically.
  if (fortranOrder && shape.filter((size) => size > 1).length > 1) {
    throw new DataFormatError(
      source,
      'header',
      `Fortran-order arrays are not supported (shape (${shape.join(', ')})); save a C-order copy with np.save(path, np.ascontiguousarray(a))`,
    );
  }
  const count = elementCount(shape);
  if (count === undefined) throw new DataFormatError(source, 'header', `shape (${shape.join(', ')}) is too large to load`);
  const expected = dataOffset + count * dtype.bytes;
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'trailing bytes after the data';
    throw new DataFormatError(source, undefined, `${what}: shape (${shape.join(', ')}) of ${dtype.type} needs ${count * dtype.bytes} data bytes after the ${dataOffset}-byte header, the file has ${bytes.length - dataOffset}`);
  }
  const values = new Float32Array(count);
  if (dtype.type === 'uint8') {
    values.set(bytes.subarray(dataOffset, expected));
  } else if (dtype.type === 'float32') {
    for (let i = 0; i < count; i++) values[i] = view.getFloat32(dataOffset + 4 * i, dtype.littleEndian);
    checkAllFinite(values, source);
  } else {
    for (let i = 0; i < count; i++) {
      const v = view.getFloat64(dataOffset + 8 * i, dtype.littleEndian);
      values[i] = v;
      // float64 values beyond the float32 range would silently become ±∞.
      if (Number.isFinite(v) && !Number.isFinite(values[i]!)) {
        throw new DataFormatError(source, `value ${i} (flat index)`, `${v} is outside the float32 range`);
      }
    }
    checkAllFinite(values, source);
  }
  return { shape, values, dataType: dtype.type };
}

/** Reads an NPY file (plain, or gzip when the name ends in `.gz`); see {@link parseNpy}. */
export async function readNpy(path: string): Promise<NpyArray> {
  return parseNpy(await readFileBytes(path), path);
}

function parseHeader(header: string, source: string): { descr: string; fortranOrder: boolean; shape: number[] } {
  const trimmed = header.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) {
    throw new DataFormatError(source, 'header', `malformed NPY header ${describeValue(trimmed)}: expected a Python dict literal`);
  }
  const descrMatch = /['"]descr['"]\s*:\s*(['"])([^'"]*)\1/.exec(trimmed);
  if (descrMatch === null) {
    const structured = /['"]descr['"]\s*:\s*\[/.test(trimmed);
    throw new DataFormatError(source, 'header', structured ? 'structured dtypes are not supported; save a plain float32/float64/uint8 array' : `NPY header without a 'descr' entry: ${describeValue(trimmed)}`);
  }
  const fortranMatch = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(trimmed);
  if (fortranMatch === null) throw new DataFormatError(source, 'header', `NPY header without 'fortran_order': ${describeValue(trimmed)}`);
  const shapeMatch = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(trimmed);
  if (shapeMatch === null) throw new DataFormatError(source, 'header', `NPY header without a 'shape' tuple: ${describeValue(trimmed)}`);
  const parts = shapeMatch[1]!.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  const shape = parts.map((p) => {
    if (!/^\d+L?$/.test(p)) throw new DataFormatError(source, 'header', `invalid NPY shape entry ${describeValue(p)}`);
    return Number.parseInt(p, 10);
  });
  return { descr: descrMatch[2]!, fortranOrder: fortranMatch[1] === 'True', shape };
}
