export { mlBackend, tf } from './runtime';
export * from './onnx';
export type { LatentBatch, WindowAssessment, WindowBatch, WindowModel } from './models/window-model';
export {
  exampleSize,
  WINDOW_INPUT,
  windowScoringModel,
  type ModelAssessment,
  type ModelInputBatch,
  type ModelInputSpec,
  type ScoringModel,
  type ScoringModelKind,
} from './models/scoring-model';
export * from './models/timeseries-vae';
export { ChannelScaler, type ChannelScalerState } from './models/channel-scaler';
export { VaeWindowModel, WindowShapeError } from './models/vae-window-model';
export { OnnxVaeWindowRuntime } from './models/vae-window-onnx';
export { meanSquaredError, ReconstructionWindowModel } from './models/reconstruction-window-model';
export * from './training';
export * from './registry';
export * from './evaluation';
export * from './hpo';
export * from './models/audio-vae';
export * from './models/multimodal-vae';
export * from './tracking';
export {
  trainAndRegister,
  TrainingCancelledError,
  type ModelEvaluation,
  type TrainAndRegisterOptions,
  type TrainAndRegisterResult,
} from './training/train-and-register';
