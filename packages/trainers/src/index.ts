export { type BetaSchedule, linearKlAnnealing } from './beta-schedule.js';
export { type ConvergenceStopOptions, convergenceStop } from './callbacks/convergence-stop.js';
export { type EarlyStoppingOptions, earlyStopping } from './callbacks/early-stopping.js';
export { jsonLinesLogger } from './callbacks/json-lines-logger.js';
export { type AdamState, captureAdamState, restoreAdamState } from './checkpoint/adam-state.js';
export { CHECKPOINT_VERSION, CheckpointFormatError, parseCheckpoint, serializeCheckpoint } from './checkpoint/checkpoint-format.js';
export type { CheckpointVariable, TrainingCheckpoint } from './checkpoint/training-checkpoint.js';
export type { EpochRecord } from './epoch-record.js';
export { evaluationInOriginalUnits, standardizationLogJacobian } from './original-units.js';
export { type EvaluateOptions, type Evaluation, evaluateVae } from './evaluate.js';
export {
  type LearningRateSchedule,
  type ScheduleProgress,
  constantSchedule,
  cosineSchedule,
  setLearningRate,
} from './learning-rate-schedule.js';
export { LeanAdamOptimizer } from './lean-adam.js';
export { NonFiniteLossError, type RestorePoint } from './non-finite-loss-error.js';
export { EVALUATION_ELEMENT_BUDGET, evaluationBatchRows } from './evaluation-batch.js';
export { DIVERGENCE_THRESHOLD } from './training-session.js';
export { type ParameterGroup, nameEndsWith } from './parameter-groups.js';
export { TrainControl } from './train-control.js';
export { type CheckpointOptions, type TrainOptions, trainVae } from './train.js';
export type { BatchInfo, TrainCallbacks, TrainResult } from './train-callbacks.js';
export { type BatchSource, type StreamTrainOptions, trainVaeOnStream } from './train-on-stream.js';
export type { CommonTrainOptions, VarianceUpdate } from './training-session.js';
export type { DecoderOutputRefitSchedule } from './decoder-output-refit-schedule.js';
export { type FinalPolishOptions, type FinalPolishReport, finalPolish } from './final-polish.js';
export * from './analysis.js';
