export * from './thresholds';
export * from './root-cause';
export * from './windows';
export { MicroBatcher, type MicroBatcherOptions } from './scoring/micro-batcher';
export { DeviceThresholds, type Judgement } from './scoring/device-thresholds';
export * from './alarms';
export * from './sensor-health';
export { lateFusion, type FusedVerdict } from './scoring/fusion';
export {
  ScorerRegistry,
  sensorWindowScorer,
  stackInputs,
  UnknownModalityScorerError,
  type FlaggedFrame,
  type FrameInputs,
  type ModalityScorer,
} from './scoring/modality-scorer';
export { evaluateLive, isFlagged, type FaultLabel, type FaultTypeFigures, type LiveEvaluation, type WindowVerdict } from './evaluation/live-evaluation';
export { modalitySharesOf, multimodalWindowScorer, type MultimodalFrameShapes } from './scoring/multimodal-scorer';
export { LogMelThread, sharedLogMelThread } from './scoring/log-mel-thread';
export { multimodalFrameShapes, type ModelFrames } from './scoring/multimodal-frame-shapes';
export { IMAGE_SCORER_INPUT, IMAGE_SCORER_MAP, imageWindowScorer, type ImageScorerOptions, windowFrame } from './scoring/image-scorer';
export { IMAGE_REGION_GRID, type ImageRegion, imageRegionName, topImageRegions } from './scoring/image-region';
export { frameOnce, type FramedWindows, ObservationMemo } from './scoring/observation-memo';
export {
  type DeviceMatcher,
  type DeviceRoute,
  exceptRoutes,
  InvalidDeviceRoutesError,
  parseDeviceRoutes,
  routed,
  routeMatcher,
  slotOf,
} from './scoring/device-routes';
export { audioWindowScorer, windowAudioSamples } from './scoring/audio-scorer';
