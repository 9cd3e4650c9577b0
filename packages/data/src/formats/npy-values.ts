import { DataFormatError } from '../errors.js';
import type { NpyHeader } from './npy-header.js';

/**
 * Decodes `count` NPY elements starting at `bytes[0]` into `out[outOffset ..]` as float32. Rejects NaN,
 * ±∞ and float64 values outside the float32 range (which would silently become ±∞), naming the flat
 * index `firstIndex + i` so the bad value can be found in the file.
 */
export function decodeNpyValues(bytes: Uint8Array, header: NpyHeader, count: number, out: Float32Array, outOffset: number, source: string, firstIndex: number): void {
  if (header.dataType === 'uint8') {
    out.set(bytes.subarray(0, count), outOffset);
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { littleEndian } = header;
  for (let i = 0; i < count; i++) {
    const v = header.dataType === 'float32' ? view.getFloat32(4 * i, littleEndian) : view.getFloat64(8 * i, littleEndian);
    out[outOffset + i] = v;
    if (!Number.isFinite(out[outOffset + i]!)) {
      const detail = Number.isFinite(v) ? `${v} is outside the float32 range` : `expected finite numbers, found ${String(v)}; clean the file first`;
      throw new DataFormatError(source, `value ${firstIndex + i} (flat index)`, detail);
    }
  }
}
