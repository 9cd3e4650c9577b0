import type { DataMatrix } from '../data-matrix.js';
import { InvalidArgumentError } from '../errors.js';

/**
 * Rejects a matrix holding NaN or ±∞, naming the first bad row and column: fitted statistics would
 * otherwise turn every value of that column into NaN without a word.
 */
export function checkMatrixFinite(matrix: DataMatrix, argument: string): void {
  const { values, cols } = matrix;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new InvalidArgumentError(`${argument}.values`, `finite numbers`, `${String(values[i])} at row ${Math.floor(i / cols)}, column ${i % cols}`);
    }
  }
}
