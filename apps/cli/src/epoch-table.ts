/** One row of the per-epoch table. */
export interface EpochRow {
  epoch: number;
  elbo: number;
  entropySum: number;
  /** The relative gap after this epoch's closed-form steps (small by construction, gap identity derived from arXiv 2010.14860). */
  relativeGap: number;
  /** The relative gap before them: the honest one. */
  rawRelativeGap: number;
  /** null for decoders without a variance. */
  sigma2: number | null;
  /** The stationarity certificate's verdict and largest gradient-step gain (relative); null when not computed. */
  certificate: { converged: boolean; maxRelativeGain: number; worstGroup: string } | null;
  /** Monte-Carlo ELBO on the held-out data; null without held-out data. */
  heldOutElbo: number | null;
}

const COLUMNS = [
  { title: 'epoch', width: 6 },
  { title: 'ELBO', width: 12 },
  { title: 'entropy sum', width: 12 },
  { title: 'raw gap', width: 10 },
  { title: 'gap after', width: 10 },
  { title: 'sigma^2', width: 11 },
  { title: 'grad gain', width: 10 },
  { title: 'certified', width: 9 },
  { title: 'held-out ELBO', width: 14 },
] as const;

function pad(text: string, width: number): string {
  return text.padStart(width);
}

/**
 * The table's header line. `raw gap` is measured before the epoch's closed-form steps, `gap after` after them;
 * `grad gain` is the certificate's largest ELBO gain of a gradient step relative to |ELBO|.
 */
export function epochTableHeader(): string {
  return COLUMNS.map((c) => pad(c.title, c.width)).join(' ');
}

/** One epoch as a fixed-width line under {@link epochTableHeader}. */
export function formatEpochRow(row: EpochRow): string {
  const cells = [
    String(row.epoch),
    row.elbo.toFixed(5),
    row.entropySum.toFixed(5),
    row.rawRelativeGap.toExponential(2),
    row.relativeGap.toExponential(2),
    row.sigma2 === null ? '-' : row.sigma2.toExponential(4),
    row.certificate === null ? '-' : row.certificate.maxRelativeGain.toExponential(2),
    row.certificate === null ? '-' : row.certificate.converged ? 'yes' : 'no',
    row.heldOutElbo === null ? '-' : row.heldOutElbo.toFixed(5),
  ];
  return cells.map((cell, i) => pad(cell, COLUMNS[i]!.width)).join(' ');
}
