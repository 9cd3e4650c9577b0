// Evaluation, diagnostics and model selection built on the trainers (issue 5): posterior-collapse detection,
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
