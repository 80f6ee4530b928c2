export * from './types';
export { DeviceWindowAssembler, keepMinOffset, offsetBefore, positionKey, staggeredPhaseMs } from './device-window-assembler';
export { sensorFrame, type SensorFrame, windowSensorFrame } from './sensor-frame';
