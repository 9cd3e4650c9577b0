/** One row of the per-epoch table. */
export interface EpochRow {
  epoch: number;
  elbo: number;
  entropySum: number;
  relativeGap: number;
  /** null for decoders without a variance. */
  sigma2: number | null;
  /** Monte-Carlo ELBO on the held-out data; null without held-out data. */
  heldOutElbo: number | null;
}

const COLUMNS = [
  { title: 'epoch', width: 6 },
  { title: 'ELBO', width: 12 },
  { title: 'entropy sum', width: 12 },
  { title: 'rel. gap', width: 10 },
  { title: 'sigma^2', width: 11 },
  { title: 'held-out ELBO', width: 14 },
] as const;

function pad(text: string, width: number): string {
  return text.padStart(width);
}

/** The table's header line. */
export function epochTableHeader(): string {
  return COLUMNS.map((c) => pad(c.title, c.width)).join(' ');
}

/** One epoch as a fixed-width line under {@link epochTableHeader}. */
export function formatEpochRow(row: EpochRow): string {
  const cells = [
    String(row.epoch),
    row.elbo.toFixed(5),
    row.entropySum.toFixed(5),
    row.relativeGap.toExponential(2),
    row.sigma2 === null ? '-' : row.sigma2.toExponential(4),
    row.heldOutElbo === null ? '-' : row.heldOutElbo.toFixed(5),
  ];
  return cells.map((cell, i) => pad(cell, COLUMNS[i]!.width)).join(' ');
}
