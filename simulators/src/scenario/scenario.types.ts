/**
 * A validated scenario: everything one simulator run needs, in milliseconds relative to the run's start.
 * Produced by `parseScenario` from the YAML/JSON scenario files (which use seconds for readability); the types
 * are inferred from the schemas in `scenario.schema.ts`, whose fields carry the documentation and defaults.
 */
import type { z } from 'zod';
import type {
  audioSchema,
  deviceGroupSchema,
  imageSchema,
  outageSchema,
  randomFaultsSchema,
  regimeShiftSchema,
  scenarioSchema,
  scheduledFaultSchema,
  sensorSchema,
  timingSchema,
} from './scenario.schema';

export const FAULT_TYPES = ['bearing_wear', 'overheating', 'cavitation', 'sensor_stuck'] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

/** `synthetic` pumps, or a C-MAPSS FD001 engine replayed per device. */
export type SensorSourceConfig = z.output<typeof sensorSchema>;
/** A synthetic sensor group's change of operating point; `atMs` from the run's start. */
export type RegimeShift = z.output<typeof regimeShiftSchema>;
/** `synthetic` audio, or MIMII clips. */
export type AudioSourceConfig = z.output<typeof audioSchema>;
/** `synthetic` thermal frames, or MVTec-layout images. */
export type ImageSourceConfig = z.output<typeof imageSchema>;
export type DeviceGroup = z.output<typeof deviceGroupSchema>;
/** `durationMs` Infinity: the modality is missing for the whole run from `startMs`. */
export type Outage = z.output<typeof outageSchema>;
export type TimingConfig = z.output<typeof timingSchema>;
export type ScheduledFault = z.output<typeof scheduledFaultSchema>;
export type RandomFaults = z.output<typeof randomFaultsSchema>;
export type Scenario = z.output<typeof scenarioSchema>;
