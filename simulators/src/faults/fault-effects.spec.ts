import { describe, expect, it } from 'vitest';
import type { AudioChunk, ImageFrame, SensorReading } from '../contracts';
import { pcm16ToFloat } from '../audio/pcm';
import { OperatingProfile } from '../device/operating-profile';
import { pixelToCelsius } from '../image/synthetic-thermal.source';
import { planRun } from '../simulation/simulation';
import type { PlannedSend } from '../simulation/sim-event';
import { SYNTHETIC_CHANNELS } from '../sensor/synthetic-sensor.source';
import { testScenario, TEST_START_MS } from '../simulation/test-scenarios';
import type { FaultType } from '../scenario/scenario.types';

/**
 * A faulty run against its healthy twin (same seed, no fault): the fault must move exactly the channels and
 * modalities the catalogue says, and leave everything else bit-identical.
 */
const DEVICE = 'dev-0001';
const FAULT_START_S = 2;
const DURATION_S = 6;

function sends(faultType: FaultType | undefined, channels?: string[]): PlannedSend[] {
  const faults = faultType
    ? [{ device: DEVICE, type: faultType, startS: FAULT_START_S, rampS: 0, endS: DURATION_S, severity: 1, ...(channels ? { channels } : {}) }]
    : [];
  const plan = planRun(testScenario({ devices: 1, durationS: DURATION_S, faults, timing: { latencyMs: 0, jitterMs: 0 } }), { startMs: TEST_START_MS });
  return [...plan.batches()].flat().filter((s) => s.stream !== 'label');
}

const inFault = (s: PlannedSend) => s.eventTimeMs >= TEST_START_MS + FAULT_START_S * 1000;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const rms = (xs: Float32Array) => Math.sqrt(xs.reduce((a, x) => a + x * x, 0) / xs.length);

function channel(all: PlannedSend[], name: string): number[] {
  return all.filter((s) => s.stream === 'sensor' && inFault(s)).map((s) => (s.value as SensorReading).values[name]!);
}

/** Sensor channels whose faulty-window values differ at all from the healthy twin. */
function changedChannels(faulty: PlannedSend[], healthy: PlannedSend[]): string[] {
  return Object.keys(SYNTHETIC_CHANNELS).filter((c) => channel(faulty, c).some((v, i) => v !== channel(healthy, c)[i]));
}

function changedStreams(faulty: PlannedSend[], healthy: PlannedSend[]): string[] {
  return (['sensor', 'audio', 'image'] as const).filter((stream) => {
    const a = faulty.filter((s) => s.stream === stream);
    const b = healthy.filter((s) => s.stream === stream);
    return a.some((s, i) => JSON.stringify(s.value) !== JSON.stringify(b[i]!.value));
  });
}

describe('fault injection against the healthy twin', () => {
  const healthy = sends(undefined);

  it.each([
    ['bearing_wear', ['sensor', 'audio', 'image'], ['bearing_temp', 'vibration_rms']],
    ['overheating', ['sensor', 'image'], ['motor_current', 'motor_temp']],
    ['cavitation', ['sensor', 'audio'], ['flow', 'pressure']],
    ['sensor_stuck', ['sensor'], ['pressure']],
  ] as const)('%s changes exactly the streams %j and channels %j', (type, streams, channels) => {
    const faulty = sends(type);
    expect(changedStreams(faulty, healthy)).toEqual(streams);
    expect(changedChannels(faulty, healthy).sort()).toEqual(channels);
    // Before onset nothing differs.
    const before = (all: PlannedSend[]) => all.filter((s) => !inFault(s));
    expect(before(faulty)).toEqual(before(healthy));
  });

  it('bearing wear raises vibration and bearing temperature well beyond their noise', () => {
    const faulty = sends('bearing_wear');
    expect(mean(channel(faulty, 'vibration_rms')) - mean(channel(healthy, 'vibration_rms'))).toBeGreaterThan(5);
    expect(std(channel(faulty, 'vibration_rms'))).toBeGreaterThan(2 * std(channel(healthy, 'vibration_rms')));
    expect(mean(channel(faulty, 'bearing_temp')) - mean(channel(healthy, 'bearing_temp'))).toBeCloseTo(25, 0);
  });

  it('bearing wear adds the defect tone and broadband noise to the sound', () => {
    const audio = (all: PlannedSend[]) => all.filter((s) => s.stream === 'audio' && inFault(s)).map((s) => s.value as AudioChunk);
    const [faultyChunk, healthyChunk] = [audio(sends('bearing_wear'))[2]!, audio(healthy)[2]!];
    const faultySignal = pcm16ToFloat(faultyChunk.pcm);
    const healthySignal = pcm16ToFloat(healthyChunk.pcm);
    const profile = OperatingProfile.create(7, DEVICE, TEST_START_MS, DURATION_S * 1000);
    const defectHz = (profile.character.defectOrder * profile.rpmAt(faultyChunk.eventTimeMs + 250)) / 60;
    const power = (x: Float32Array, hz: number) => goertzelPower(x, hz, faultyChunk.sampleRate);
    expect(power(faultySignal, defectHz)).toBeGreaterThan(20 * power(healthySignal, defectHz));
    // Broadband: the mean power over 2.5–3.5 kHz, far from every tone, rises too (one bin alone is too noisy).
    const band = (x: Float32Array) => mean(Array.from({ length: 100 }, (_, k) => power(x, 2500 + 10 * k)));
    expect(band(faultySignal)).toBeGreaterThan(10 * band(healthySignal));
    expect(rms(faultySignal)).toBeGreaterThan(rms(healthySignal));
  });

  it('bearing wear shows a hot spot over the bearing and leaves the far corner alone', () => {
    const frames = (all: PlannedSend[]) => all.filter((s) => s.stream === 'image' && inFault(s)).map((s) => s.value as ImageFrame);
    const faulty = frames(sends('bearing_wear'))[0]!;
    const normal = frames(healthy)[0]!;
    const profile = OperatingProfile.create(7, DEVICE, TEST_START_MS, DURATION_S * 1000);
    const at = (frame: ImageFrame, fx: number, fy: number) =>
      pixelToCelsius(frame.data[Math.floor(fy * frame.height) * frame.width + Math.floor(fx * frame.width)]!);
    const { bearingX, bearingY } = profile.character;
    expect(at(faulty, bearingX, bearingY) - at(normal, bearingX, bearingY)).toBeGreaterThan(30);
    expect(Math.abs(at(faulty, 0.02, 0.02) - at(normal, 0.02, 0.02))).toBeLessThanOrEqual(0.4);
  });

  it('a stuck sensor repeats one value while the others keep moving', () => {
    const stuck = channel(sends('sensor_stuck', ['motor_temp']), 'motor_temp');
    expect(new Set(stuck).size).toBe(1);
    expect(new Set(channel(healthy, 'motor_temp')).size).toBeGreaterThan(10);
  });
});

/** Power of one frequency (Goertzel), normalised by length. */
function goertzelPower(x: Float32Array, hz: number, sampleRate: number): number {
  const coeff = 2 * Math.cos((2 * Math.PI * hz) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (const v of x) {
    const s0 = v + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / (x.length * x.length);
}
