/** One row of the per-epoch table (a subset of an epoch of metrics.json). */
export interface EpochRow {
  epoch: number;
  elbo: number;
  entropySum: number;
  /**
   * ELBO − entropy sum before the epoch's closed-form steps, nats per point: the honest gap. Absent in the rows of
   * metrics.json files written before it was recorded.
   */
  rawGapNats?: number;
  /** null for decoders without a variance. */
  sigma2: number | null;
  /** The stationarity certificate's verdict and largest gradient-step gain (relative); null when not computed. */
  certificate: { converged: boolean; undecided: boolean; maxRelativeGain: number; worstGroup: string } | null;
  /** Monte-Carlo ELBO on the held-out data; null without held-out data. */
  heldOutElbo: number | null;
}

const COLUMNS = [
  { title: 'epoch', width: 6 },
  { title: 'ELBO', width: 12 },
  { title: 'entropy sum', width: 12 },
  { title: 'raw gap/((D+H)/2)', width: 17 },
  { title: 'after/((D+H)/2)', width: 15 },
  { title: 'sigma^2', width: 11 },
  { title: 'grad gain', width: 10 },
  { title: 'certified', width: 9 },
  { title: 'held-out ELBO', width: 14 },
] as const;

function pad(text: string, width: number): string {
  return text.padStart(width);
}

/**
 * The scale of the table's gaps, (D + H)/2 nats per point: the stationarity certificate's, so the `raw gap` column
 * is the number its raw-gap check compares with its tolerance. By the gap identity (derived from arXiv 2010.14860)
 * a scalar-σ² Gaussian VAE's gap is (D/2)(1 − ρ) + ½ Σ_h (1 − m_h), so gap/((D + H)/2) is a weighted mean of the
 * deviations of ρ and the m_h from 1: independent of the data's units (a standardised run's ELBO moves by the
 * log-Jacobian, its gap does not) and finite where the ELBO crosses 0, where a ratio to |ELBO| explodes.
 */
export function epochGapScale(dataDim: number, latentDim: number): number {
  return (dataDim + latentDim) / 2;
}

/**
 * The table's header line. `raw gap/((D+H)/2)` is |ELBO − entropy sum| measured before the epoch's closed-form
 * steps, `after/((D+H)/2)` the same after them (small by construction), both relative to {@link epochGapScale};
 * `grad gain` is the certificate's largest ELBO gain of a gradient step relative to |ELBO|.
 */
export function epochTableHeader(): string {
  return COLUMNS.map((c) => pad(c.title, c.width)).join(' ');
}

/** One epoch as a fixed-width line under {@link epochTableHeader}; `gapScale` is {@link epochGapScale} of the model. */
export function formatEpochRow(row: EpochRow, gapScale: number): string {
  const cells = [
    String(row.epoch),
    row.elbo.toFixed(5),
    row.entropySum.toFixed(5),
    typeof row.rawGapNats === 'number' ? (Math.abs(row.rawGapNats) / gapScale).toExponential(2) : '-',
    (Math.abs(row.elbo - row.entropySum) / gapScale).toExponential(2),
    row.sigma2 === null ? '-' : row.sigma2.toExponential(4),
    row.certificate === null ? '-' : row.certificate.maxRelativeGain.toExponential(2),
    row.certificate === null ? '-' : row.certificate.converged ? 'yes' : row.certificate.undecided ? 'undecided' : 'no',
    row.heldOutElbo === null ? '-' : row.heldOutElbo.toFixed(5),
  ];
  return cells.map((cell, i) => pad(cell, COLUMNS[i]!.width)).join(' ');
}
