export * from './types';
export { DeviceWindowAssembler, positionKey } from './device-window-assembler';
export { sensorFrame, type SensorFrame } from './sensor-frame';
