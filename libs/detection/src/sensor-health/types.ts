/**
 * Sensor health: faults of the measurement itself (a channel stuck, dropped out, outside its physical range or
 * jumping faster than the process can), reported apart from process anomalies so the detector can say
 * "sensor fault on motor_temp" instead of scoring garbage, and keep such windows out of training data.
 */

export const SENSOR_FAULT_KINDS = ['stuck', 'dropout', 'out_of_range', 'rate_of_change'] as const;
export type SensorFaultKind = (typeof SENSOR_FAULT_KINDS)[number];

/** Limits of one channel; a rule left out is not checked. */
export interface ChannelHealthRule {
  /** Physical range, in the channel's unit. */
  min?: number;
  max?: number;
  /** Fastest plausible change, unit per second. */
  maxRatePerS?: number;
  /** Slack added to each step's allowed change (measurement noise does not scale with the step's length). */
  rateNoiseAllowance?: number;
  /** Consecutive samples differing by at most this count as "no change" (0: bit-identical repeats only). */
  stuckTolerance?: number;
}

export interface SensorHealthConfig {
  /** The channels to watch, by name, with their rules. */
  channels: Readonly<Record<string, ChannelHealthRule>>;
  /** A channel is stuck when its longest run of unchanged samples covers at least this share of its samples… */
  stuckMinFraction: number;
  /** …and is at least this many samples long (a few equal samples are chance, not a fault). */
  stuckMinSamples: number;
  /** Expected sample rate: with it, a channel with fewer than `minCoverage` of the expected samples dropped out. */
  expectedRateHz?: number;
  minCoverage: number;
  /** A gap between samples (or to a window edge) longer than this is a dropout. */
  maxGapMs?: number;
}

export interface SensorFault {
  channel: string;
  kind: SensorFaultKind;
  /** What was measured: flat-run share, coverage or longest gap (ms), the offending value, the fastest rate (/s). */
  observed: number;
  /** The limit it broke. */
  limit: number;
  /** Human-readable, for logs and the operator. */
  message: string;
}

export interface SensorHealthReport {
  healthy: boolean;
  faults: SensorFault[];
}
