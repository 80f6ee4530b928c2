export * from './types';
export { alignedWindow } from './aligned-window';
export { DEFAULT_MODALITY_IDLE_MS, DeviceWindowAssembler, keepMinOffset, offsetBefore, positionKey, staggeredPhaseMs } from './device-window-assembler';
export { sensorFrame, type SensorFrame, windowSensorFrame } from './sensor-frame';
