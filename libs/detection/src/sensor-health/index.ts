export * from './types';
export { DEFAULT_SENSOR_HEALTH, PUMP_SENSOR_HEALTH_RULES } from './constants';
export { assessSensorHealth, InvalidSensorHealthConfigError, sensorHealthConfig, type TimedReading } from './sensor-health';
