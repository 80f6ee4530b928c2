import { describe, expect, it } from 'vitest';
import type { GroundTruthLabel } from '../contracts';
import { planRun } from '../simulation/simulation';
import { testScenario, TEST_START_MS } from '../simulation/test-scenarios';
import { UnknownDeviceError } from './fault-planner';

const labelsOf = (opts: Parameters<typeof testScenario>[0]) =>
  [...planRun(testScenario(opts), { startMs: TEST_START_MS }).batches()].flat().filter((s) => s.stream === 'label');

describe('ground-truth labels', () => {
  it('publish one label per scheduled fault, matching the schedule, at its onset', () => {
    const sends = labelsOf({
      devices: 3,
      durationS: 10,
      faults: [
        { id: 'wear-1', device: 'dev-0002', type: 'bearing_wear', startS: 2, rampS: 3, endS: 9, severity: 0.6 },
        { device: 'dev-0003', type: 'sensor_stuck', startS: 4, endS: 6, channels: ['flow'] },
      ],
    });
    expect(sends.map((s) => s.value)).toEqual<GroundTruthLabel[]>([
      {
        deviceId: 'dev-0002',
        faultId: 'wear-1',
        faultType: 'bearing_wear',
        modalities: ['SENSOR', 'AUDIO', 'IMAGE'],
        channels: ['vibration_rms', 'bearing_temp'],
        startMs: TEST_START_MS + 2000,
        rampMs: 3000,
        endMs: TEST_START_MS + 9000,
        severity: 0.6,
        source: 'scenario:test|synthetic',
      },
      {
        deviceId: 'dev-0003',
        faultId: 'test-f002',
        faultType: 'sensor_stuck',
        modalities: ['SENSOR'],
        channels: ['flow'],
        startMs: TEST_START_MS + 4000,
        rampMs: 0,
        endMs: TEST_START_MS + 6000,
        severity: 1,
        source: 'scenario:test|synthetic',
      },
    ]);
    for (const s of sends)
      expect([s.key, s.eventTimeMs, s.sendTimeMs]).toEqual([s.value.deviceId, (s.value as GroundTruthLabel).startMs, (s.value as GroundTruthLabel).startMs]);
  });

  it('name only the modalities a device has', () => {
    const [label] = labelsOf({ devices: 1, audio: false, faults: [{ device: 'dev-0001', type: 'bearing_wear', startS: 1, endS: 2 }] });
    expect((label!.value as GroundTruthLabel).modalities).toEqual(['SENSOR', 'IMAGE']);
  });

  it('draw random faults reproducibly from the seed, inside the run', () => {
    const random = { count: 6, minDurationS: 2, maxDurationS: 5 };
    const a = labelsOf({ devices: 4, durationS: 20, random }).map((s) => s.value as GroundTruthLabel);
    expect(labelsOf({ devices: 4, durationS: 20, random }).map((s) => s.value)).toEqual(a);
    expect(labelsOf({ devices: 4, durationS: 20, random, seed: 99 }).map((s) => s.value)).not.toEqual(a);
    expect(a).toHaveLength(6);
    for (const label of a) {
      expect(label.startMs).toBeGreaterThanOrEqual(TEST_START_MS);
      expect(label.endMs).toBeLessThanOrEqual(TEST_START_MS + 20_000);
      expect(label.endMs - label.startMs).toBeGreaterThanOrEqual(2000);
      expect(label.severity).toBeGreaterThanOrEqual(0.5);
    }
  });

  it('refuse a fault on a device the fleet does not have', () => {
    expect(() => labelsOf({ devices: 2, faults: [{ device: 'dev-0009', type: 'overheating', startS: 1, endS: 2 }] })).toThrow(UnknownDeviceError);
  });
});
