export * from './types';
export { alignedWindow } from './aligned-window';
export { DEFAULT_MODALITY_IDLE_MS, DeviceWindowAssembler, keepMinOffset, offsetBefore, positionKey, staggeredPhaseMs } from './device-window-assembler';
export { MIN_SENSOR_STREAM_SHARE, sensorFrame, sensorFrameScorable, type SensorFrame, sensorStreamShare, windowSensorFrame } from './sensor-frame';
