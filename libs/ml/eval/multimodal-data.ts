/**
 * Aligned multimodal windows from the simulators, in process (no broker): the detector's 3 s windows with a 1 s
 * hop over each synthetic pump's sensor readings (10 Hz × 7 channels → 30 steps), sound (16 kHz → 24 log-mel
 * frames × 32 mels) and thermal frames (64 × 64 every 5 s → 32 × 32). A frame is *due* every period: a window
 * carries the device's latest frame while it is not overdue (sparse is not missing), so only a camera outage
 * makes the image missing. Every window gets its ground truth (fault type and severity from the scenario's
 * faults) and its sensor-health report.
 *
 * @example
 *   const { windows } = multimodalWindows(normalScenario(11, 6, 10));
 */
import { assessSensorHealth, PUMP_SENSOR_HEALTH_RULES, sensorFrame, sensorHealthConfig, type SensorHealthReport, type TimedEvent } from '@vigil/detection';
import type { AudioChunk, ImageFrame, SensorReading } from '@vigil/contracts';
import { type Fault, type FaultType, pcm16ToFloat, planRun, type Scenario, SYNTHETIC_CHANNELS, severityAt, validateScenario } from '@vigil/simulators';
import { audioLogMelFrames, downsampleImage, type MultimodalInputs, resolveMultimodalVaeConfig } from '../src';

export const WINDOW_MS = 3000;
export const HOP_MS = 1000;
export const SENSOR_HZ = 10;
export const AUDIO_RATE = 16000;
export const IMAGE_PERIOD_S = 5;
export const IMAGE_SIDE = 64;
export const CHANNELS = Object.keys(SYNTHETIC_CHANNELS);
/** Shapes of the committed model; the data builder produces exactly these. */
export const MODEL_SHAPES = resolveMultimodalVaeConfig({});
const START_MS = Date.UTC(2026, 0, 1);

export interface LabelledWindow {
  deviceId: string;
  startMs: number;
  inputs: MultimodalInputs;
  /** The fault overlapping the window (the most severe one if several), if any. */
  fault: FaultType | undefined;
  severity: number;
  /** Share of the window inside the fault's interval (1: the whole window). */
  faultCoverage: number;
  health: SensorHealthReport;
}

const fleetGroup = (count: number) => ({
  name: 'pumps',
  count,
  sensor: { source: 'synthetic', rateHz: SENSOR_HZ },
  audio: { source: 'synthetic', chunkS: 1, sampleRate: AUDIO_RATE },
  image: { source: 'synthetic', periodS: IMAGE_PERIOD_S, width: IMAGE_SIDE, height: IMAGE_SIDE },
});

const HOUR_MS = 3_600_000;

/** Normal pumps only (training data), from `hourUtc` on 2026-01-01 (the simulated hall runs a daily cycle). */
export function normalScenario(seed: number, devices: number, minutes: number, hourUtc = 0): Scenario {
  return validateScenario({
    name: `normal-${seed}`,
    seed,
    durationS: minutes * 60,
    startTimeMs: START_MS + hourUtc * HOUR_MS,
    fleet: [fleetGroup(devices)],
    timing: { latencyMs: 0, jitterMs: 0 },
  });
}

/**
 * The held-out test fleet: every fault type of the simulators, at the demo scenario's severities and at weaker
 * ones, on 10 pumps for 4 minutes (faults 60–180 s with a 10 s ramp), two pumps healthy throughout and a camera
 * outage on one faulty pump (its windows carry no image).
 */
export function testScenario(seed = 23): Scenario {
  const fault = (device: number, type: FaultType, severity: number, channels?: string[]) => ({
    device: `dev-${String(device).padStart(4, '0')}`,
    type,
    startS: 60,
    rampS: 10,
    endS: 180,
    severity,
    ...(channels ? { channels } : {}),
  });
  return validateScenario({
    name: `test-${seed}`,
    seed,
    durationS: 240,
    startTimeMs: START_MS,
    fleet: [fleetGroup(10)],
    timing: { latencyMs: 0, jitterMs: 0, outages: [{ device: 'dev-0008', modality: 'image' }] },
    faults: {
      scheduled: [
        fault(1, 'bearing_wear', 1),
        fault(2, 'overheating', 0.8),
        fault(3, 'cavitation', 0.7),
        fault(4, 'sensor_stuck', 1, ['motor_temp']),
        fault(5, 'bearing_wear', 0.4),
        fault(6, 'overheating', 0.4),
        fault(7, 'cavitation', 0.4),
        fault(8, 'sensor_stuck', 1),
      ],
    },
  });
}

interface DecodedChunk {
  eventTimeMs: number;
  samples: Float32Array;
}

interface DeviceEvents {
  sensor: TimedEvent<SensorReading>[];
  audio: DecodedChunk[];
  image: ImageFrame[];
}

function decode(chunk: AudioChunk): DecodedChunk {
  if (chunk.sampleRate !== AUDIO_RATE || chunk.channels !== 1)
    throw new Error(`audio ${chunk.sampleRate} Hz × ${chunk.channels}; the model takes ${AUDIO_RATE} Hz mono`);
  return { eventTimeMs: chunk.eventTimeMs, samples: pcm16ToFloat(chunk.pcm) };
}

const SOURCE = { topic: 'sim', partition: 0, offset: '0' };

function eventsByDevice(scenario: Scenario): { devices: Map<string, DeviceEvents>; faults: readonly Fault[]; startMs: number; durationMs: number } {
  const plan = planRun(scenario, { startMs: scenario.startTimeMs ?? START_MS, streams: new Set(['sensor', 'audio', 'image']) });
  const devices = new Map<string, DeviceEvents>();
  const of = (id: string) => devices.get(id) ?? devices.set(id, { sensor: [], audio: [], image: [] }).get(id)!;
  for (const batch of plan.batches()) {
    for (const send of batch) {
      if (send.stream === 'sensor') of(send.key).sensor.push({ eventTimeMs: send.value.eventTimeMs, value: send.value, source: SOURCE });
      else if (send.stream === 'audio') of(send.key).audio.push(decode(send.value));
      else if (send.stream === 'image') of(send.key).image.push(send.value);
    }
  }
  for (const events of devices.values()) {
    events.sensor.sort((a, b) => a.eventTimeMs - b.eventTimeMs);
    events.audio.sort((a, b) => a.eventTimeMs - b.eventTimeMs);
    events.image.sort((a, b) => a.eventTimeMs - b.eventTimeMs);
  }
  return { devices, faults: plan.fleet.faults, startMs: plan.fleet.startMs, durationMs: plan.fleet.durationMs };
}

/** The window's samples from the chunks that overlap it; undefined when under 90 % of it is covered. */
function audioOf(chunks: readonly DecodedChunk[], startMs: number, endMs: number): Float32Array | undefined {
  const length = Math.round(((endMs - startMs) / 1000) * AUDIO_RATE);
  const out = new Float32Array(length);
  let covered = 0;
  for (const { eventTimeMs, samples } of chunks) {
    const offset = Math.round(((eventTimeMs - startMs) / 1000) * AUDIO_RATE);
    if (offset >= length || offset + samples.length <= 0) continue;
    for (let i = Math.max(0, -offset); i < samples.length && offset + i < length; i++) {
      out[offset + i] = samples[i]!;
      covered++;
    }
  }
  return covered >= 0.9 * length ? out : undefined;
}

/** The latest frame taken before the window ends, unless it is overdue (older than a period and a hop). */
function imageOf(frames: readonly ImageFrame[], endMs: number): Float32Array | undefined {
  let latest: ImageFrame | undefined;
  for (const f of frames) if (f.eventTimeMs < endMs) latest = f;
  if (!latest || endMs - latest.eventTimeMs > IMAGE_PERIOD_S * 1000 + HOP_MS) return undefined;
  if (latest.encoding !== 'RAW_U8') throw new Error(`image encoding ${latest.encoding}; the builder reads RAW_U8`);
  const { height, width } = MODEL_SHAPES.image;
  return downsampleImage(latest.data, latest.width, latest.height, latest.channels, height, width);
}

/** The fault overlapping [startMs, endMs) with the largest severity in it (a linear ramp peaks at an end). */
export function faultIn(
  faults: readonly Fault[],
  deviceId: string,
  startMs: number,
  endMs: number,
): Pick<LabelledWindow, 'fault' | 'severity' | 'faultCoverage'> {
  let best: Pick<LabelledWindow, 'fault' | 'severity' | 'faultCoverage'> = { fault: undefined, severity: 0, faultCoverage: 0 };
  for (const f of faults) {
    if (f.deviceId !== deviceId || f.endMs <= startMs || f.startMs >= endMs) continue;
    const from = Math.max(startMs, f.startMs);
    const to = Math.min(endMs, f.endMs);
    const severity = Math.max(severityAt(f, from), severityAt(f, to - 1));
    if (!best.fault || severity > best.severity) best = { fault: f.type, severity, faultCoverage: (to - from) / (endMs - startMs) };
  }
  return best;
}

export const HEALTH_CONFIG = sensorHealthConfig({ channels: PUMP_SENSOR_HEALTH_RULES, expectedRateHz: SENSOR_HZ, maxGapMs: 1000 });

export function multimodalWindows(scenario: Scenario): { windows: LabelledWindow[]; faults: readonly Fault[] } {
  const { devices, faults, startMs, durationMs } = eventsByDevice(scenario);
  const windows: LabelledWindow[] = [];
  for (const [deviceId, events] of devices) {
    let s = 0;
    let a = 0;
    for (let start = startMs; start + WINDOW_MS <= startMs + durationMs; start += HOP_MS) {
      const end = start + WINDOW_MS;
      while (s < events.sensor.length && events.sensor[s]!.eventTimeMs < start) s++;
      let sEnd = s;
      while (sEnd < events.sensor.length && events.sensor[sEnd]!.eventTimeMs < end) sEnd++;
      const readings = events.sensor.slice(s, sEnd);
      while (a < events.audio.length && events.audio[a]!.eventTimeMs + (events.audio[a]!.samples.length / AUDIO_RATE) * 1000 <= start) a++;
      const inputs: MultimodalInputs = {};
      if (readings.length > 0) inputs.sensor = Float32Array.from(sensorFrame(readings, start, end, CHANNELS, MODEL_SHAPES.sensor.steps).data);
      const samples = audioOf(events.audio.slice(a, a + 4), start, end);
      if (samples) inputs.audio = audioLogMelFrames(samples, AUDIO_RATE, { frames: MODEL_SHAPES.audio.steps, mels: MODEL_SHAPES.audio.channels });
      const image = imageOf(events.image, end);
      if (image) inputs.image = image;
      windows.push({
        deviceId,
        startMs: start,
        inputs,
        ...faultIn(faults, deviceId, start, end),
        health: assessSensorHealth(readings, start, end, HEALTH_CONFIG),
      });
    }
  }
  return { windows, faults };
}
