import { InvalidArgumentError } from '../errors.js';

/**
 * Most float32 values a generated data set may hold (2^28: 1 GiB). Beyond it the typed array cannot be
 * allocated, or training on it cannot either; the check runs before any allocation.
 */
export const MAX_GENERATED_VALUES = 2 ** 28;

/** Throws, naming `argument` (the row count), if `rows × cols` values exceed {@link MAX_GENERATED_VALUES}. */
export function checkGeneratedSize(rows: number, cols: number, argument: string): void {
  if (rows * cols > MAX_GENERATED_VALUES) {
    throw new InvalidArgumentError(argument, `at most ${Math.floor(MAX_GENERATED_VALUES / cols)} rows of ${cols} values (${MAX_GENERATED_VALUES} float32 values, the size limit of generated data)`, String(rows));
  }
}
