import { writeFileAtomic } from '@trientropy/trainers/node';

/** Writes rows of `values` (rows × cols) as CSV with a header `x1,…,xD`, atomically; numbers in shortest round-trip form. */
export async function writeMatrixCsv(path: string, values: Float32Array, rows: number, cols: number): Promise<void> {
  const lines = [Array.from({ length: cols }, (_, j) => `x${j + 1}`).join(',')];
  for (let r = 0; r < rows; r++) lines.push(Array.from(values.subarray(r * cols, (r + 1) * cols), (v) => String(v)).join(','));
  await writeFileAtomic(path, `${lines.join('\n')}\n`);
}
