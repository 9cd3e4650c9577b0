import { DataFormatError } from '../errors.js';

/** Rejects NaN and ±∞ in loaded values, naming the first bad flat index (no silent NaNs downstream). */
export function checkAllFinite(values: Float32Array, source: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new DataFormatError(source, `value ${i} (flat index)`, `expected finite numbers, found ${String(values[i])}; clean the file first`);
    }
  }
}

/** Number of elements of a shape, or undefined when it exceeds what one Float32Array can hold. */
export function elementCount(shape: readonly number[]): number | undefined {
  let count = 1;
  for (const size of shape) {
    count *= size;
    if (count > MAX_ELEMENTS) return undefined;
  }
  return count;
}

/** Largest element count we allocate (the Float32Array limit in V8 is 2^32 − 1 bytes / 4 on some builds). */
export const MAX_ELEMENTS = 2 ** 30;
