/**
 * Sensor windows of the simulators' synthetic pumps, as the detector cuts them (30 readings = 3 s at 10 Hz × the 7
 * channels), for the sensor model's training script and its β sweep. Normal fleets run once per starting hour
 * (UTC), because temperatures follow the hall's daily swing; fault runs keep each window's start so a caller can
 * tell the fault's windows from the normal ones.
 *
 * @example
 *   const { batch, channelNames } = normalFleetWindows(11, { devices: 6, minutes: 10, hours: [0, 6, 12, 18] });
 *   const runs = scenarioWindows(scenario, startMs, { stride: 10, channelNames });
 */
import type { SensorReading } from '@vigil/contracts';
import type { WindowBatch } from '@vigil/ml';
import { planRun, validateScenario } from '@vigil/simulators';

export const WINDOW_STEPS = 30;
export const DAY_START_MS = Date.UTC(2026, 0, 1);
export const HOUR_MS = 3_600_000;

export interface NormalFleetOptions {
  devices: number;
  minutes: number;
  hours: readonly number[];
  /** Readings between window starts (5 = 0.5 s). */
  stride?: number;
  /** Channel order; else the first reading's channels, sorted. */
  channelNames?: readonly string[];
}

export interface DeviceWindows {
  deviceId: string;
  batch: WindowBatch;
  /** Event time of each window's first reading. */
  startsMs: number[];
}

/** Windows of a fault-free fleet of `devices` pumps, one run of `minutes` from each starting hour, device by device. */
export function normalFleetWindows(seed: number, options: NormalFleetOptions): { batch: WindowBatch; channelNames: string[] } {
  const runs: DeviceWindows[] = [];
  let channelNames = options.channelNames ? [...options.channelNames] : undefined;
  for (const hour of options.hours) {
    const scenario = {
      name: `normal-${seed}`,
      seed,
      durationS: options.minutes * 60,
      fleet: [{ name: 'pumps', count: options.devices, sensor: { source: 'synthetic', rateHz: 10 } }],
      timing: { latencyMs: 0, jitterMs: 0 },
    };
    const windows = scenarioWindows(scenario, DAY_START_MS + hour * HOUR_MS, { stride: options.stride ?? 5, channelNames });
    channelNames ??= windows.channelNames;
    runs.push(...windows.devices);
  }
  return { batch: concatWindows(runs.map((r) => r.batch)), channelNames: channelNames ?? [] };
}

/** The served model's data (v2): how many pumps, minutes per starting hour, which hours. */
export const PUMP_TRAINING_FLEET = { devices: 24, minutes: 2.5, hours: [0, 6, 12, 18] } as const;
const TRAINING_STRIDE = 5;

/**
 * The sensor VAE's training windows (seed 11) and its held-out calibration windows: another seed (other devices,
 * other load sequences), as many pumps, at least 5 minutes each, three hours later in the day.
 */
export function pumpTrainingData(fleet: { devices: number; minutes: number; hours: readonly number[] } = PUMP_TRAINING_FLEET): {
  train: { batch: WindowBatch; channelNames: string[] };
  heldOut: { batch: WindowBatch; channelNames: string[] };
  stride: number;
} {
  const train = normalFleetWindows(11, { ...fleet, stride: TRAINING_STRIDE });
  const heldOut = normalFleetWindows(23, {
    devices: fleet.devices,
    minutes: Math.max(5, fleet.minutes / 2),
    hours: fleet.hours.map((h) => (h + 3) % 24),
    stride: TRAINING_STRIDE,
    channelNames: train.channelNames,
  });
  return { train, heldOut, stride: TRAINING_STRIDE };
}

/** Every device's sliding windows of a scenario (sensor stream only) started at `startMs`. */
export function scenarioWindows(
  scenario: unknown,
  startMs: number,
  options: { stride: number; channelNames?: readonly string[] },
): { devices: DeviceWindows[]; channelNames: string[] } {
  const plan = planRun(validateScenario(scenario), { startMs, streams: new Set(['sensor']) });
  const byDevice = new Map<string, SensorReading[]>();
  for (const batch of plan.batches()) {
    for (const send of batch) {
      if (send.stream !== 'sensor') continue;
      const list = byDevice.get(send.key) ?? [];
      list.push(send.value);
      byDevice.set(send.key, list);
    }
  }
  const channelNames = options.channelNames ? [...options.channelNames] : Object.keys([...byDevice.values()][0]![0]!.values).sort();
  const devices: DeviceWindows[] = [];
  for (const [deviceId, readings] of byDevice) {
    readings.sort((a, b) => a.eventTimeMs - b.eventTimeMs);
    const rows: number[] = [];
    const startsMs: number[] = [];
    for (let start = 0; start + WINDOW_STEPS <= readings.length; start += options.stride) {
      for (let s = 0; s < WINDOW_STEPS; s++) for (const c of channelNames) rows.push(readings[start + s]!.values[c]!);
      startsMs.push(readings[start]!.eventTimeMs);
    }
    devices.push({
      deviceId,
      batch: { data: Float32Array.from(rows), batch: startsMs.length, steps: WINDOW_STEPS, channels: channelNames.length },
      startsMs,
    });
  }
  return { devices, channelNames };
}

function concatWindows(batches: readonly WindowBatch[]): WindowBatch {
  const first = batches[0]!;
  const data = new Float32Array(batches.reduce((n, b) => n + b.data.length, 0));
  let offset = 0;
  for (const b of batches) {
    data.set(b.data, offset);
    offset += b.data.length;
  }
  return { data, batch: batches.reduce((n, b) => n + b.batch, 0), steps: first.steps, channels: first.channels };
}
