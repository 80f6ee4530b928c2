/**
 * Per-channel health of one window of sensor readings, with cheap rules (one pass per channel, no model):
 *
 * - **stuck**: the longest run of consecutive samples that do not change (|Δ| ≤ `stuckTolerance`) covers at
 *   least `stuckMinFraction` of the channel's samples and `stuckMinSamples` samples. Real sensors are noisy, so
 *   a live channel almost never repeats itself; a frozen one repeats forever (the simulator's `sensor_stuck`).
 * - **dropout**: no finite value in the window, fewer than `minCoverage` of the expected samples (when the rate
 *   is known), or a gap longer than `maxGapMs` (edges of the window included).
 * - **out_of_range**: a value outside [min, max].
 * - **rate_of_change**: a step |Δv| > maxRatePerS · Δt + rateNoiseAllowance.
 *
 * Readings must be sorted by event time (the window assembler keeps them so). `firstEventMs`, the event time of
 * the device's first reading, makes the lead-in before it no gap: a window that starts before the device's
 * stream does (the first windows at start-up) is judged from that reading on, and one that ends before it has
 * nothing to judge. `streamEndMs`, set on the windows of a device that went quiet (flushed after its last event),
 * does the same for the lead-out: the tail after the device's last event is the end of its stream, no gap.
 *
 * @example
 *   const report = assessSensorHealth(window.sensor, window.startMs, window.endMs, sensorHealthConfig({ channels: PUMP_SENSOR_HEALTH_RULES, expectedRateHz: 10 }));
 *   if (!report.healthy) publishSensorFault(report.faults);        // e.g. { channel: 'motor_temp', kind: 'stuck', … }
 */
import { DEFAULT_SENSOR_HEALTH } from './constants';
import type { ChannelHealthRule, SensorFault, SensorHealthConfig, SensorHealthReport } from './types';

export interface TimedReading {
  eventTimeMs: number;
  value: { values: Readonly<Record<string, number>> };
}

export class InvalidSensorHealthConfigError extends Error {
  override readonly name = 'InvalidSensorHealthConfigError';
}

/** Defaults merged with the given options, validated. */
export function sensorHealthConfig(input: Partial<SensorHealthConfig> & Pick<SensorHealthConfig, 'channels'>): SensorHealthConfig {
  const config: SensorHealthConfig = { ...DEFAULT_SENSOR_HEALTH, ...input };
  if (!(config.stuckMinFraction > 0 && config.stuckMinFraction <= 1))
    throw new InvalidSensorHealthConfigError(`stuckMinFraction must be in (0, 1], got ${config.stuckMinFraction}`);
  if (!(Number.isInteger(config.stuckMinSamples) && config.stuckMinSamples >= 2))
    throw new InvalidSensorHealthConfigError(`stuckMinSamples must be an integer ≥ 2, got ${config.stuckMinSamples}`);
  if (!(config.minCoverage >= 0 && config.minCoverage <= 1))
    throw new InvalidSensorHealthConfigError(`minCoverage must be in [0, 1], got ${config.minCoverage}`);
  if (config.expectedRateHz !== undefined && !(config.expectedRateHz > 0))
    throw new InvalidSensorHealthConfigError(`expectedRateHz must be > 0, got ${config.expectedRateHz}`);
  for (const [channel, rule] of Object.entries(config.channels)) {
    if (rule.min !== undefined && rule.max !== undefined && rule.min > rule.max)
      throw new InvalidSensorHealthConfigError(`${channel}: min ${rule.min} > max ${rule.max}`);
    if (rule.maxRatePerS !== undefined && !(rule.maxRatePerS > 0))
      throw new InvalidSensorHealthConfigError(`${channel}: maxRatePerS must be > 0, got ${rule.maxRatePerS}`);
  }
  return config;
}

export function assessSensorHealth(
  readings: readonly TimedReading[],
  windowStartMs: number,
  windowEndMs: number,
  config: SensorHealthConfig,
  firstEventMs = Number.NEGATIVE_INFINITY,
  streamEndMs = Number.POSITIVE_INFINITY,
): SensorHealthReport {
  const startMs = Math.max(windowStartMs, firstEventMs);
  const endMs = Math.min(windowEndMs, streamEndMs);
  if (startMs >= endMs) return { healthy: true, faults: [] };
  const faults: SensorFault[] = [];
  const times: number[] = [];
  const values: number[] = [];
  for (const [channel, rule] of Object.entries(config.channels)) {
    times.length = 0;
    values.length = 0;
    for (const r of readings) {
      const v = r.value.values[channel];
      if (v !== undefined && Number.isFinite(v)) {
        times.push(r.eventTimeMs);
        values.push(v);
      }
    }
    const dropout = dropoutOf(channel, times, startMs, endMs, config);
    if (dropout) {
      faults.push(dropout);
      if (times.length === 0) continue;
    }
    const range = outOfRange(channel, values, rule);
    if (range) faults.push(range);
    const rate = tooFast(channel, times, values, rule);
    if (rate) faults.push(rate);
    const stuck = stuckOf(channel, values, rule, config);
    if (stuck) faults.push(stuck);
  }
  return { healthy: faults.length === 0, faults };
}

function dropoutOf(channel: string, times: readonly number[], startMs: number, endMs: number, config: SensorHealthConfig): SensorFault | undefined {
  if (times.length === 0) return { channel, kind: 'dropout', observed: 0, limit: 1, message: `${channel}: no value in the window` };
  if (config.expectedRateHz !== undefined) {
    const expected = ((endMs - startMs) / 1000) * config.expectedRateHz;
    const coverage = times.length / expected;
    if (coverage < config.minCoverage) {
      return {
        channel,
        kind: 'dropout',
        observed: coverage,
        limit: config.minCoverage,
        message: `${channel}: ${times.length} of ~${Math.round(expected)} expected samples`,
      };
    }
  }
  if (config.maxGapMs !== undefined) {
    let gap = Math.max(times[0]! - startMs, endMs - times[times.length - 1]!);
    for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i]! - times[i - 1]!);
    if (gap > config.maxGapMs) return { channel, kind: 'dropout', observed: gap, limit: config.maxGapMs, message: `${channel}: no value for ${gap} ms` };
  }
  return undefined;
}

function outOfRange(channel: string, values: readonly number[], rule: ChannelHealthRule): SensorFault | undefined {
  let worst: { value: number; limit: number; excess: number } | undefined;
  for (const v of values) {
    if (rule.min !== undefined && v < rule.min && (!worst || rule.min - v > worst.excess)) worst = { value: v, limit: rule.min, excess: rule.min - v };
    if (rule.max !== undefined && v > rule.max && (!worst || v - rule.max > worst.excess)) worst = { value: v, limit: rule.max, excess: v - rule.max };
  }
  return (
    worst && {
      channel,
      kind: 'out_of_range',
      observed: worst.value,
      limit: worst.limit,
      message: `${channel}: ${worst.value} outside [${rule.min ?? '-∞'}, ${rule.max ?? '∞'}]`,
    }
  );
}

function tooFast(channel: string, times: readonly number[], values: readonly number[], rule: ChannelHealthRule): SensorFault | undefined {
  if (rule.maxRatePerS === undefined) return undefined;
  const slack = rule.rateNoiseAllowance ?? 0;
  for (let i = 1; i < values.length; i++) {
    const dtS = (times[i]! - times[i - 1]!) / 1000;
    if (dtS <= 0) continue;
    const step = Math.abs(values[i]! - values[i - 1]!);
    if (step > rule.maxRatePerS * dtS + slack) {
      const rate = step / dtS;
      return {
        channel,
        kind: 'rate_of_change',
        observed: rate,
        limit: rule.maxRatePerS,
        message: `${channel}: changed by ${step.toPrecision(3)} in ${Math.round(dtS * 1000)} ms`,
      };
    }
  }
  return undefined;
}

function stuckOf(channel: string, values: readonly number[], rule: ChannelHealthRule, config: SensorHealthConfig): SensorFault | undefined {
  const tolerance = rule.stuckTolerance ?? 0;
  let longest = values.length > 0 ? 1 : 0;
  let run = 1;
  for (let i = 1; i < values.length; i++) {
    run = Math.abs(values[i]! - values[i - 1]!) <= tolerance ? run + 1 : 1;
    if (run > longest) longest = run;
  }
  const share = values.length > 0 ? longest / values.length : 0;
  if (longest >= config.stuckMinSamples && share >= config.stuckMinFraction) {
    return { channel, kind: 'stuck', observed: share, limit: config.stuckMinFraction, message: `${channel}: ${longest} of ${values.length} samples unchanged` };
  }
  return undefined;
}
