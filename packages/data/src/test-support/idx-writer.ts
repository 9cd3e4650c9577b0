// Test-only helper (not exported from the package): writes small IDX files, e.g. MNIST look-alikes.
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/** The bytes of a uint8 IDX array of the given shape. */
export function uint8IdxBytes(shape: number[], values: ArrayLike<number>): Uint8Array {
  const header = new Uint8Array(4 + 4 * shape.length);
  header.set([0, 0, 0x08, shape.length]);
  const view = new DataView(header.buffer);
  shape.forEach((size, i) => view.setUint32(4 + 4 * i, size, false));
  const out = new Uint8Array(header.length + values.length);
  out.set(header);
  out.set(Uint8Array.from(values), header.length);
  return out;
}

/** Writes a uint8 IDX file, gzip-compressed when the path ends in `.gz`. */
export function writeUint8Idx(path: string, shape: number[], values: ArrayLike<number>): void {
  const bytes = uint8IdxBytes(shape, values);
  writeFileSync(path, path.endsWith('.gz') ? gzipSync(bytes) : bytes);
}
