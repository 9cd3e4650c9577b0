export { type EvaluateOptions, type Evaluation, evaluateVae } from './evaluate.js';
export {
  type LearningRateSchedule,
  type ScheduleProgress,
  constantSchedule,
  cosineSchedule,
  setLearningRate,
} from './learning-rate-schedule.js';
export { NonFiniteLossError } from './non-finite-loss-error.js';
export {
  type BatchInfo,
  type DecoderVarianceUpdate,
  type EpochRecord,
  type TrainCallbacks,
  type TrainOptions,
  type TrainResult,
  trainVae,
} from './train.js';
