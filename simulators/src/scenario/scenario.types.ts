/**
 * A validated scenario: everything one simulator run needs, in milliseconds relative to the run's start.
 * Produced by `parseScenario` from the YAML/JSON scenario files (which use seconds for readability).
 */
import type { ModalityStream } from '../simulation/sim-event';

export const FAULT_TYPES = ['bearing_wear', 'overheating', 'cavitation', 'sensor_stuck'] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

export type SensorSourceConfig =
  | { source: 'synthetic'; rateHz: number }
  /** One C-MAPSS FD001 engine per device, one engine cycle per sample, looping at the end of the unit. */
  | { source: 'cmapss'; rateHz: number; firstUnit: number; degradedRulCycles: number };

export type AudioSourceConfig =
  | { source: 'synthetic'; chunkMs: number; sampleRate: number }
  /** `machine` narrows the MIMII clips used (fan, pump, slider, valve, unknown_dcase2020); all when absent. */
  | { source: 'mimii'; chunkMs: number; machine: string | undefined };

export type ImageSourceConfig =
  | { source: 'synthetic'; periodMs: number; width: number; height: number }
  | { source: 'mvtec'; periodMs: number; category: string };

export interface DeviceGroup {
  name: string;
  count: number;
  /** Synthetic ids are `<idPrefix>-0001`…, numbered on across groups that share a prefix; C-MAPSS replay devices are named after their engine. */
  idPrefix: string;
  sensor: SensorSourceConfig | undefined;
  audio: AudioSourceConfig | undefined;
  image: ImageSourceConfig | undefined;
}

export interface Outage {
  device: string;
  modality: ModalityStream;
  startMs: number;
  /** Infinity: the modality is missing for the whole run from `startMs`. */
  durationMs: number;
}

export interface TimingConfig {
  /** Fixed part of the device → broker delay. */
  latencyMs: number;
  /** Mean of the exponential jitter added to each event; jitter beyond a sample period reorders events. */
  jitterMs: number;
  late: { probability: number; minDelayMs: number; maxDelayMs: number };
  /** Each device's clock is off by a constant drawn from ±clockSkewMs: records carry device time, so a device
   * ahead of the reference clock can stamp events "in the future" relative to their send time. */
  clockSkewMs: number;
  drop: Record<ModalityStream, number>;
  outages: Outage[];
}

export interface ScheduledFault {
  id: string | undefined;
  device: string;
  type: FaultType;
  startMs: number;
  rampMs: number;
  endMs: number;
  severity: number;
  /** Overrides the fault type's default channels (e.g. which channel `sensor_stuck` freezes). */
  channels: string[] | undefined;
}

export interface RandomFaults {
  count: number;
  types: FaultType[];
  minDurationMs: number;
  maxDurationMs: number;
  minSeverity: number;
  maxSeverity: number;
  /** Share of the fault's duration spent ramping up. */
  rampFraction: number;
}

export interface Scenario {
  name: string;
  seed: number | string;
  durationMs: number;
  /** Epoch ms of the first sample; undefined → the moment the run starts. Tests fix it. */
  startTimeMs: number | undefined;
  fleet: DeviceGroup[];
  timing: TimingConfig;
  faults: { scheduled: ScheduledFault[]; random: RandomFaults | undefined };
}
