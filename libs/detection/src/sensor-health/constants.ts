/**
 * Defaults of the sensor-health rules, and the rules for the synthetic pump (`SYNTHETIC_CHANNELS` of the
 * simulators): physical ranges, and rate limits set well above what the simulator's normal runs show (load
 * ramps of 4 s, thermal lag, measurement noise; see `npm run eval:sensor-health`).
 */
import type { ChannelHealthRule, SensorHealthConfig } from './types';

export const DEFAULT_SENSOR_HEALTH: Omit<SensorHealthConfig, 'channels'> = {
  stuckMinFraction: 0.5,
  stuckMinSamples: 10,
  minCoverage: 0.5,
};

export const PUMP_SENSOR_HEALTH_RULES: Readonly<Record<string, ChannelHealthRule>> = {
  rpm: { min: 0, max: 3600, maxRatePerS: 1500, rateNoiseAllowance: 30 },
  motor_current: { min: 0, max: 120, maxRatePerS: 40, rateNoiseAllowance: 3 },
  vibration_rms: { min: 0, max: 60, maxRatePerS: 20, rateNoiseAllowance: 6 },
  bearing_temp: { min: -30, max: 160, maxRatePerS: 5, rateNoiseAllowance: 2 },
  motor_temp: { min: -30, max: 180, maxRatePerS: 5, rateNoiseAllowance: 2.5 },
  pressure: { min: -1, max: 25, maxRatePerS: 10, rateNoiseAllowance: 2 },
  flow: { min: 0, max: 300, maxRatePerS: 60, rateNoiseAllowance: 8 },
};
