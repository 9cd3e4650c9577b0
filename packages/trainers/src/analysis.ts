// Evaluation, diagnostics and model selection built on the trainers: posterior-collapse detection,
// stationarity reports, held-out estimates (MC ELBO, entropy sum, IWAE) and streaming BIC model selection.
export {
  DEFAULT_COLLAPSE_EMA,
  DEFAULT_COLLAPSE_THRESHOLD,
  type PosteriorCollapseEpoch,
  type PosteriorCollapseMonitor,
  type PosteriorCollapseMonitorOptions,
  type PosteriorCollapseReport,
  detectPosteriorCollapse,
  encoderEntropiesPerLatent,
  posteriorCollapseMonitor,
} from './diagnostics/posterior-collapse.js';
export { type EntropySumEstimate, type EntropySumEstimateOptions, type EntropySumTrust, entropySumEstimate } from './heldout/entropy-sum-estimate.js';
export { type IwaeBound, type IwaeBoundOptions, iwaeBound } from './heldout/iwae-bound.js';
export { type MonteCarloElbo, type MonteCarloElboOptions, monteCarloElbo } from './heldout/monte-carlo-elbo.js';
export { type PerPointEstimate, meanWithStandardError } from './heldout/per-point-estimate.js';
export {
  type CertificateTolerances,
  type GroupStationarity,
  type StationarityCertificate,
  type StationarityCertificateOptions,
  stationarityCertificate,
} from './diagnostics/stationarity-certificate.js';
export { COLLAPSED_LATENT_KL, type LatentEscape, type SaddleTest } from './diagnostics/collapsed-latent-escape.js';
export type { AscentProbe } from './diagnostics/ascent-probe.js';
export { CONFIDENCE_STANDARD_ERRORS, type GainVerdict, type MeasuredGain, formatRelativeGain } from './diagnostics/paired-gain.js';
export {
  type LatentStationarity,
  type StationarityReport,
  type StationarityReportOptions,
  type StationarityTolerances,
  stationarityReport,
} from './diagnostics/stationarity-report.js';
export { type BicParameterCount, bayesianInformationCriterion, linearVaeParameterCount } from './model-selection/bic.js';
export { type StreamingBatchRecord, type StreamingModelSelection, type StreamingModelSelectionOptions, streamingModelSelection } from './model-selection/streaming-model-selection.js';
