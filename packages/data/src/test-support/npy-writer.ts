// Test-only helper (not exported from the package): writes NPY version-1.0 files the way numpy.save
// lays them out (header dict padded with spaces to a multiple of 64 bytes, ending in a newline).
import { writeFileSync } from 'node:fs';

/** The bytes of a C-order NPY file with the given descr (e.g. '<f4'), shape and raw data bytes. */
export function npyFileBytes(descr: string, shape: number[], data: Uint8Array, fortranOrder = false): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${fortranOrder ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

/** Writes a little-endian float32 NPY file. */
export function writeFloat32Npy(path: string, shape: number[], values: ArrayLike<number>): void {
  writeFileSync(path, npyFileBytes('<f4', shape, new Uint8Array(Float32Array.from(values).buffer)));
}
