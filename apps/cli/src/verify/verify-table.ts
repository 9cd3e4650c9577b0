import type { VerifyRow } from './verify-experiments.js';

const HEADERS = ['experiment', 'paper', 'ELBO', 'entropy sum', 'raw gap', 'reference', 'value', 'result', 'time'];

/** The verification table as fixed-width text. */
export function formatVerifyTable(rows: readonly VerifyRow[]): string {
  const cells = rows.map((r) => [
    r.experiment,
    r.paper,
    r.elbo.toFixed(4),
    r.entropySum.toFixed(4),
    `${(100 * r.rawGap).toFixed(3)} %`,
    r.reference.name,
    Number.isNaN(r.reference.value) ? '-' : r.reference.value.toFixed(4),
    r.passed ? 'pass' : 'FAIL',
    `${r.seconds.toFixed(0)} s`,
  ]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => (i >= 2 && i <= 4 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(HEADERS), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
