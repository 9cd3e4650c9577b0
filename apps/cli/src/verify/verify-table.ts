import type { VerifyRow } from './verify-experiments.js';

const HEADERS = ['experiment', 'paper', 'ELBO', 'entropy sum', 'raw gap/|ELBO|', 'certificate', 'reference', 'value', 'result', 'time'];

/**
 * `yes`/`no` (the verdict), the worst group's relative gain, and `(info)` where the row's pass/fail does not
 * require it; `-` where it does not apply.
 */
function certificateCell(r: VerifyRow): string {
  const c = r.certificate;
  if (c === null) return '-';
  return `${c.converged ? 'yes' : 'no'} (${c.worstGroup} ${c.maxRelativeGain.toExponential(1)})${c.required ? '' : ' info'}`;
}

/** The verification table as fixed-width text. */
export function formatVerifyTable(rows: readonly VerifyRow[]): string {
  const cells = rows.map((r) => [
    r.experiment,
    r.paper,
    r.elbo.toFixed(4),
    r.entropySum.toFixed(4),
    `${(100 * r.rawGap).toFixed(3)} %`,
    certificateCell(r),
    r.reference.name,
    Number.isNaN(r.reference.value) ? '-' : r.reference.value.toFixed(4),
    r.passed ? 'pass' : 'FAIL',
    `${r.seconds.toFixed(0)} s`,
  ]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => (i >= 2 && i <= 4 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(HEADERS), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
