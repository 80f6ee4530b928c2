export * from './thresholds';
export * from './root-cause';
export * from './windows';
export { MicroBatcher, type MicroBatcherOptions } from './scoring/micro-batcher';
export { DeviceThresholds, type Judgement } from './scoring/device-thresholds';
export { lateFusion, type FusedVerdict } from './scoring/fusion';
export { ScorerRegistry, sensorWindowScorer, stackInputs, UnknownModalityScorerError, type FlaggedFrame, type FrameInputs, type ModalityScorer } from './scoring/modality-scorer';
export * from './alarms';
