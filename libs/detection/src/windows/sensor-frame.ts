/**
 * Turns a window's sensor readings (irregular: jitter, drops, late arrivals) into the fixed
 * `[steps][channels]` frame a model expects: each channel is linearly interpolated at `steps` evenly spaced
 * instants across the window (held constant beyond the first/last sample).
 *
 * @example
 *   const { data, missingChannels } = sensorFrame(window.sensor, window.startMs, window.endMs, model.channelNames, model.steps);
 */
import type { TimedEvent } from './types';

export interface SensorFrame {
  data: Float32Array;
  /** Channels with no value at all in the window (filled with 0 and reported). */
  missingChannels: string[];
  /** Readings that contributed. */
  samples: number;
}

export function sensorFrame(
  readings: ReadonlyArray<TimedEvent<{ values: Record<string, number> }>>,
  startMs: number,
  endMs: number,
  channelNames: readonly string[],
  steps: number,
  out = new Float32Array(steps * channelNames.length),
): SensorFrame {
  const channels = channelNames.length;
  const stepMs = (endMs - startMs) / steps;
  const missingChannels: string[] = [];
  const times: number[] = [];
  const values: number[] = [];
  for (let c = 0; c < channels; c++) {
    const name = channelNames[c]!;
    times.length = 0;
    values.length = 0;
    for (const r of readings) {
      const v = r.value.values[name];
      if (v !== undefined && Number.isFinite(v)) {
        times.push(r.eventTimeMs);
        values.push(v);
      }
    }
    if (times.length === 0) {
      missingChannels.push(name);
      for (let s = 0; s < steps; s++) out[s * channels + c] = 0;
      continue;
    }
    let j = 0;
    for (let s = 0; s < steps; s++) {
      // Sample at the start of each step: with one reading per step (the usual case) this returns it exactly.
      const t = startMs + s * stepMs;
      while (j < times.length - 1 && times[j + 1]! <= t) j++;
      out[s * channels + c] = interpolate(times, values, j, t);
    }
  }
  return { data: out, missingChannels, samples: readings.length };
}

function interpolate(times: number[], values: number[], j: number, t: number): number {
  const t0 = times[j]!;
  if (t <= t0 || j === times.length - 1) return values[j]!;
  const t1 = times[j + 1]!;
  const w = (t - t0) / (t1 - t0);
  return values[j]! * (1 - w) + values[j + 1]! * w;
}

/** Frames already built per window, by channels and steps: the sensor and fused scorers read the same frame. */
const framesOfWindow = new WeakMap<object, Map<string, Float32Array>>();

/**
 * `sensorFrame(...).data` of a window's readings, built once per window for a given channel list and step
 * count (callers must not modify it: model inputs are copied when batched).
 */
export function windowSensorFrame(
  w: { sensor: ReadonlyArray<TimedEvent<unknown>>; startMs: number; endMs: number },
  channelNames: readonly string[],
  steps: number,
): Float32Array {
  let byShape = framesOfWindow.get(w);
  if (!byShape) {
    byShape = new Map();
    framesOfWindow.set(w, byShape);
  }
  const key = `${steps}|${channelNames.join(',')}`;
  let data = byShape.get(key);
  if (!data) {
    data = sensorFrame(w.sensor as ReadonlyArray<TimedEvent<{ values: Record<string, number> }>>, w.startMs, w.endMs, channelNames, steps).data;
    byShape.set(key, data);
  }
  return data;
}

/**
 * Below this share of a window inside its device's sensor stream, models leave the window's sensor frame out:
 * the rest of the frame would be extrapolation (each channel held at its edge sample), an unnaturally flat
 * machine that a reconstruction model scores as unusual. The last windows of a device that went quiet scored up
 * to 3× their neighbours this way (pumps-50hz.yaml's last window: 0.037 against a normal 0.012, over v2's
 * threshold), raising a process anomaly on a stream that merely ended.
 */
export const MIN_SENSOR_STREAM_SHARE = 0.5;

/**
 * Share of the window that lies inside the device's sensor stream: after its first reading (start-up) and, for a
 * device that went quiet, before its last event. 1 for every window of a running stream.
 */
export function sensorStreamShare(w: { startMs: number; endMs: number; firstEventMs?: Partial<Record<'SENSOR', number>>; streamEndMs?: number }): number {
  const from = Math.max(w.startMs, w.firstEventMs?.SENSOR ?? w.startMs);
  const to = Math.min(w.endMs, w.streamEndMs ?? w.endMs);
  return Math.max(0, to - from) / (w.endMs - w.startMs);
}

/** Whether a window's sensor readings are enough of it for a model to score them (`MIN_SENSOR_STREAM_SHARE`). */
export function sensorFrameScorable(w: Parameters<typeof sensorStreamShare>[0]): boolean {
  return sensorStreamShare(w) >= MIN_SENSOR_STREAM_SHARE;
}
