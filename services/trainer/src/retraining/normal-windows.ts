/**
 * Recent normal data as training windows: each device's readings in event-time order cut into sliding windows
 * (`steps` readings, every `stride`), dropping every window that overlaps an excluded range of its device
 * (windows the detector flagged, operator-confirmed anomalies and fault labels), then split by time: the newest
 * windows of all are the held-out set on which champion and challenger are compared — the present regime, the
 * one the promoted model will face, whatever range was asked for — and of the rest, those inside `trainRange`
 * train (oldest) and calibrate the challenger's threshold (newest).
 *
 * @example
 *   const split = assembleNormalWindows(readingsByDevice, excluded, { steps: 30, stride: 5, channelNames });
 */
import type { SensorReading } from '@vigil/contracts';
import type { WindowBatch } from '@vigil/ml';

export interface TimeRange {
  startMs: number;
  endMs: number;
}

export interface WindowAssemblyOptions {
  steps: number;
  stride: number;
  channelNames: readonly string[];
  /** Windows (by their time span) the challenger may learn from; default: all before the held-out set. */
  trainRange?: TimeRange;
  /** Share of all windows held out (the newest), and of the training windows kept for calibration (their newest). */
  calibrationFraction?: number;
  heldOutFraction?: number;
}

export interface NormalWindowSplit {
  train: WindowBatch;
  calibration: WindowBatch;
  heldOut: WindowBatch;
  excludedWindows: number;
}

interface CutWindow {
  startMs: number;
  endMs: number;
  values: Float32Array;
}

function overlaps(startMs: number, endMs: number, ranges: readonly TimeRange[]): boolean {
  return ranges.some((r) => startMs <= r.endMs && r.startMs <= endMs);
}

function batchOf(windows: readonly CutWindow[], steps: number, channels: number): WindowBatch {
  const data = new Float32Array(windows.length * steps * channels);
  windows.forEach((w, i) => data.set(w.values, i * steps * channels));
  return { data, batch: windows.length, steps, channels };
}

export function assembleNormalWindows(
  readingsByDevice: ReadonlyMap<string, readonly SensorReading[]>,
  excluded: ReadonlyMap<string, readonly TimeRange[]>,
  options: WindowAssemblyOptions,
): NormalWindowSplit {
  const { steps, stride, channelNames } = options;
  const windows: CutWindow[] = [];
  let excludedWindows = 0;
  for (const [deviceId, unsorted] of readingsByDevice) {
    const readings = [...unsorted].sort((a, b) => a.eventTimeMs - b.eventTimeMs);
    const ranges = excluded.get(deviceId) ?? [];
    for (let start = 0; start + steps <= readings.length; start += stride) {
      const first = readings[start]!;
      const last = readings[start + steps - 1]!;
      if (overlaps(first.eventTimeMs, last.eventTimeMs, ranges)) {
        excludedWindows++;
        continue;
      }
      const values = new Float32Array(steps * channelNames.length);
      for (let s = 0; s < steps; s++) channelNames.forEach((c, k) => (values[s * channelNames.length + k] = readings[start + s]!.values[c] ?? 0));
      windows.push({ startMs: first.eventTimeMs, endMs: last.eventTimeMs, values });
    }
  }
  windows.sort((a, b) => a.endMs - b.endMs);
  const heldOutCount = Math.round(windows.length * (options.heldOutFraction ?? 0.15));
  const range = options.trainRange;
  const learnable = windows.slice(0, windows.length - heldOutCount).filter((w) => !range || (w.startMs >= range.startMs && w.endMs <= range.endMs));
  const calibrationCount = Math.round(learnable.length * (options.calibrationFraction ?? 0.15));
  const channels = channelNames.length;
  return {
    train: batchOf(learnable.slice(0, learnable.length - calibrationCount), steps, channels),
    calibration: batchOf(learnable.slice(learnable.length - calibrationCount), steps, channels),
    heldOut: batchOf(windows.slice(windows.length - heldOutCount), steps, channels),
    excludedWindows,
  };
}
