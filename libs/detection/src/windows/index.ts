export * from './types';
export { DeviceWindowAssembler, keepMinOffset, positionKey } from './device-window-assembler';
export { sensorFrame, type SensorFrame } from './sensor-frame';
