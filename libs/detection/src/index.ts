export * from './thresholds';
export * from './root-cause';
export * from './windows';
export { MicroBatcher, type MicroBatcherOptions } from './scoring/micro-batcher';
export { DeviceThresholds, type Judgement } from './scoring/device-thresholds';
