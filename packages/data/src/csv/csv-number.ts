// Strict decimal numbers only: `Number()` alone would also accept "", " ", "0x1f", "Infinity" and "1_0"-free
// forms we do not want silently in a data file.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Cell texts that conventionally mean "missing"; named as such in errors. */
const MISSING = new Set(['', 'na', 'nan', 'n/a', 'null', 'none', '?', '-']);

/** Parses a trimmed CSV cell as a finite decimal number, or returns `undefined`. */
export function parseDecimal(cell: string): number | undefined {
  if (!DECIMAL.test(cell)) return undefined;
  const value = Number(cell);
  return Number.isFinite(value) ? value : undefined;
}

/** Whether a trimmed cell is one of the usual spellings of a missing value. */
export function isMissingCell(cell: string): boolean {
  return MISSING.has(cell.toLowerCase());
}
