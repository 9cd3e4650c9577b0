import { DataFormatError, describeValue } from '../errors.js';

/** NumPy dtypes the NPY readers accept. */
export type NpyDataType = 'float32' | 'float64' | 'uint8';

/** What the header of an NPY file says about its data. */
export interface NpyHeader {
  readonly dataType: NpyDataType;
  /** Bytes per element. */
  readonly itemBytes: number;
  readonly littleEndian: boolean;
  readonly shape: number[];
  /** Byte offset of the first element (magic, version, header length and header dict included). */
  readonly dataOffset: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/** Bytes that must be present to know the header's length: magic (6), version (2), length (2 or 4). */
export const NPY_PREAMBLE_BYTES = 12;

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
 * Where the data of an NPY file starts, from its first bytes (at least 10; 12 for format versions 2
 * and 3). Rejects wrong magic and unknown versions.
 */
export function npyDataOffset(bytes: Uint8Array, source: string): number {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new DataFormatError(source, 'byte 0', 'not an NPY file: it does not start with the magic string "\\x93NUMPY"');
  }
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new DataFormatError(source, 'byte 6', `unsupported NPY format version ${major}.${bytes[7]}; expected 1.x, 2.x or 3.x`);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw new DataFormatError(source, undefined, 'truncated NPY header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  return 8 + lengthBytes + headerLength;
}

/**
 * Parses the header of an NPY file (format versions 1–3) from its first bytes, which must reach the
 * end of the header dict. Accepts float32, float64 and uint8 in either byte order and C order (or
 * Fortran order when its layout equals C order); rejects everything else with a {@link DataFormatError}
 * that says how to convert the array.
 */
export function parseNpyHeader(bytes: Uint8Array, source: string): NpyHeader {
  const dataOffset = npyDataOffset(bytes, source);
  const lengthBytes = bytes[6] === 1 ? 2 : 4;
  if (bytes.length < dataOffset) {
    throw new DataFormatError(source, undefined, `truncated NPY header: it declares ${dataOffset - 8 - lengthBytes} header bytes, the file has ${bytes.length - 8 - lengthBytes}`);
  }
  const text = new TextDecoder(bytes[6] === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lengthBytes, dataOffset));
  const { descr, fortranOrder, shape } = parseHeaderDict(text, source);
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
  return { dataType: dtype.type, itemBytes: dtype.bytes, littleEndian: dtype.littleEndian, shape, dataOffset };
}

function parseHeaderDict(header: string, source: string): { descr: string; fortranOrder: boolean; shape: number[] } {
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
