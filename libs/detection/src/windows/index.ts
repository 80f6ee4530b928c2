export * from './types';
export { DEFAULT_MODALITY_IDLE_MS, DeviceWindowAssembler, keepMinOffset, offsetBefore, positionKey, staggeredPhaseMs } from './device-window-assembler';
export { sensorFrame, type SensorFrame, windowSensorFrame } from './sensor-frame';
