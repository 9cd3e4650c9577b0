/** An ELBO gain between two states, measured on check sample sets, with its Monte-Carlo standard error. */
export interface MeasuredGain {
  /** ELBO at the end state minus ELBO at the start state, nats per point. */
  gain: number;
  /** Monte-Carlo standard error of `gain`, nats per point; 0 for exact ELBOs. */
  standardError: number;
}

/**
 * Standard errors a gain must stay below the tolerance by to be certified, and above it by to be refused: about
 * 98 % one-sided confidence each way. Between the two the Monte-Carlo check cannot tell, and says so.
 */
export const CONFIDENCE_STANDARD_ERRORS = 2;

/**
 * The gain between two states from the ELBO shares of the same check sample sets at both (common random numbers):
 * `start[f][p]` and `end[f][p]` are family f's share of the ELBO from piece p of the rows, weighted so that a
 * family's shares sum to its ELBO. With one family (exact ELBOs) the standard error is 0. With two independent
 * families the gain is their mean and, since E[(d_A − d_B)²] = 2 Var(d) for a piece's differences d = end − start,
 * Σ_p (d_A − d_B)²/4 estimates its variance: the noise of these draws at fixed rows, which is what the certificate,
 * judging the ELBO of its rows, must tell apart from a real gain.
 */
export function pairedGain(start: readonly (readonly number[])[], end: readonly (readonly number[])[]): MeasuredGain {
  const families = start.length;
  if (families < 1 || families > 2 || end.length !== families) throw new Error(`pairedGain: expected 1 or 2 families at both states, got ${families} and ${end.length}`);
  const pieces = start[0]!.length;
  if (start.some((f) => f.length !== pieces) || end.some((f) => f.length !== pieces)) throw new Error('pairedGain: expected the same pieces in every family at both states');
  const differences = start.map((family, f) => family.map((share, p) => end[f]![p]! - share));
  const gain = differences.reduce((total, family) => total + family.reduce((a, b) => a + b, 0), 0) / families;
  if (families === 1) return { gain, standardError: 0 };
  let variance = 0;
  for (let p = 0; p < pieces; p++) variance += (differences[0]![p]! - differences[1]![p]!) ** 2 / 4;
  return { gain, standardError: Math.sqrt(variance) };
}

/** A gain relative to `scale`, with its relative standard error where it has one: `1.23e-4 ± 4.5e-5`, or `1.23e-4`. */
export function formatRelativeGain(measured: MeasuredGain, scale: number): string {
  const gain = (measured.gain / scale).toExponential(2);
  return measured.standardError > 0 ? `${gain} ± ${(measured.standardError / scale).toExponential(1)}` : gain;
}

/** How a measured gain compares with a tolerance (both relative to the same scale), allowing for its standard error. */
export type GainVerdict = 'below' | 'above' | 'undecided';

/** `below` when gain + 2 s.e. ≤ tolerance·scale, `above` when gain − 2 s.e. > tolerance·scale, else `undecided`. */
export function gainVerdict(measured: MeasuredGain, scale: number, tolerance: number): GainVerdict {
  const margin = CONFIDENCE_STANDARD_ERRORS * measured.standardError;
  if (!Number.isFinite(measured.gain) || !Number.isFinite(margin)) return 'above';
  if ((measured.gain + margin) / scale <= tolerance) return 'below';
  if ((measured.gain - margin) / scale > tolerance) return 'above';
  return 'undecided';
}
