import type { Standardizer } from '@trientropy/data';
import type { Evaluation } from './evaluate.js';

/**
 * `log |det ∂x'/∂x|` per data point of the standardisation `x' = (x − m)/s`: `−Σ_d log s_d`. A density of x' is a
 * density of x times `Π_d 1/s_d`, so every log-density, the ELBO and the entropy sum of a model trained on x'
 * become those of the original data by adding this number. Constant columns (s = 0, only centred by
 * `applyStandardizer`) contribute 0.
 */
export function standardizationLogJacobian(standardizer: Pick<Standardizer, 'std'>): number {
  let sum = 0;
  for (const s of standardizer.std) {
    if (!(s >= 0) || !Number.isFinite(s)) throw new Error(`standardizer.std: expected finite standard deviations ≥ 0, got ${String(s)}`);
    if (s > 0) sum -= Math.log(s);
  }
  return sum;
}

/**
 * An {@link Evaluation} of a model trained and evaluated on standardised data, in the units of the ORIGINAL data:
 * the ELBO, the expected log-likelihood, the entropy sum (and the linear VAE's exact ELBO and log-likelihood)
 * gain the log-Jacobian {@link standardizationLogJacobian}, the decoder entropy H[p(x|z)] loses it, the relative
 * gap is taken against the shifted ELBO. The KL, the encoder and prior entropies, ρ, m_h and the gap itself do
 * not depend on the units of x; σ² and R stay in standardised units.
 */
export function evaluationInOriginalUnits<T extends Evaluation>(evaluation: T, standardizer: Pick<Standardizer, 'std'>): T {
  const shift = standardizationLogJacobian(standardizer);
  const elbo = evaluation.elbo + shift;
  const entropySum = evaluation.entropySum + shift;
  const decoder = evaluation.entropies.decoder - shift;
  return {
    ...evaluation,
    elbo,
    expectedLogLikelihood: evaluation.expectedLogLikelihood + shift,
    entropies: { ...evaluation.entropies, decoder },
    entropySum,
    relativeGap: Math.abs(elbo - entropySum) / Math.abs(elbo),
    decomposition: { ...evaluation.decomposition, reconstruction: evaluation.decomposition.reconstruction + shift, negativeDecoderEntropy: -decoder },
    ...(evaluation.linear === undefined ? {} : { linear: { exactElbo: evaluation.linear.exactElbo + shift, logLikelihood: evaluation.linear.logLikelihood + shift } }),
  };
}
