import { describe, expect, it } from 'vitest';
import type { SensorReading } from '../contracts';
import { planRun } from './simulation';
import type { PlannedSend, Stream } from './sim-event';
import { testScenario, TEST_START_MS, type TestScenarioOptions } from './test-scenarios';

function run(opts: TestScenarioOptions, streams?: Stream[]): PlannedSend[] {
  const plan = planRun(testScenario(opts), { startMs: TEST_START_MS, streams: streams && new Set(streams) });
  return [...plan.batches()].flat();
}

const fault = { device: 'dev-0001', type: 'bearing_wear', startS: 1, rampS: 1, endS: 3, severity: 0.8 };

describe('fleetStream', () => {
  it('produces identical events, bytes and order for the same seed', () => {
    const a = run({ seed: 11, faults: [fault], timing: { jitterMs: 80, drop: { sensor: 0.05 } } });
    const b = run({ seed: 11, faults: [fault], timing: { jitterMs: 80, drop: { sensor: 0.05 } } });
    expect(a.length).toBeGreaterThan(90);
    expect(a.filter((s) => s.stream === 'label')).toHaveLength(1);
    expect(b).toEqual(a);
  });

  it('produces different data for another seed', () => {
    const values = (sends: PlannedSend[]) => sends.filter((s) => s.stream === 'sensor').map((s) => (s.value as SensorReading).values);
    expect(values(run({ seed: 12 }))).not.toEqual(values(run({ seed: 11 })));
  });

  it('emits one event per sample period per device and stream, in send-time order', () => {
    const sends = run({ devices: 3, durationS: 4 });
    const count = (stream: Stream) => sends.filter((s) => s.stream === stream).length;
    expect(count('sensor')).toBe(3 * 4 * 10);
    expect(count('audio')).toBe(3 * 4 * 2); // 0.5 s chunks
    expect(count('image')).toBe(3 * 4);
    for (let i = 1; i < sends.length; i++) expect(sends[i]!.sendTimeMs).toBeGreaterThanOrEqual(sends[i - 1]!.sendTimeMs);
    for (const s of sends) {
      expect(s.key).toBe(s.value.deviceId);
      expect(s.sendTimeMs).toBeGreaterThanOrEqual(s.eventTimeMs);
    }
    // An audio chunk leaves only after it was recorded.
    for (const s of sends.filter((x) => x.stream === 'audio')) expect(s.sendTimeMs).toBeGreaterThanOrEqual(s.eventTimeMs + 500);
  });

  it.each(['sensor', 'audio', 'image'] as const)('gives a separate %s-only process exactly the combined run’s events of that stream', (stream) => {
    const combined = run({ faults: [fault], timing: { jitterMs: 80, drop: { [stream]: 0.1 } } }).filter((s) => s.stream === stream);
    expect(combined.length).toBeGreaterThan(0);
    expect(run({ faults: [fault], timing: { jitterMs: 80, drop: { [stream]: 0.1 } } }, [stream])).toEqual(combined);
  });

  it('reorders events when jitter exceeds the sample period, and delivers late events seconds behind', () => {
    const sends = run({ devices: 2, durationS: 6, timing: { latencyMs: 10, jitterMs: 150, late: { probability: 0.05, minDelayMs: 2000, maxDelayMs: 3000 } } }, [
      'sensor',
    ]);
    const perDevice = sends.filter((s) => s.key === 'dev-0001').map((s) => (s.value as SensorReading).seq);
    const inversions = perDevice.filter((seq, i) => i > 0 && seq < perDevice[i - 1]!).length;
    expect(inversions).toBeGreaterThan(5);
    const late = sends.filter((s) => s.sendTimeMs - s.eventTimeMs >= 2000);
    expect(late.length).toBeGreaterThan(0);
    expect(late.length).toBeLessThan(sends.length * 0.15);
  });

  it('drops events at the configured rate, leaving gaps in seq', () => {
    const sends = run({ devices: 4, durationS: 10, timing: { drop: { sensor: 0.2 } } }, ['sensor']);
    const expected = 4 * 10 * 10;
    expect(sends.length).toBeGreaterThan(expected * 0.7);
    expect(sends.length).toBeLessThan(expected * 0.9);
    const seqs = new Set(sends.filter((s) => s.key === 'dev-0002').map((s) => (s.value as SensorReading).seq));
    expect(seqs.size).toBeLessThan(100);
    expect(Math.max(...seqs)).toBeGreaterThanOrEqual(95);
  });

  it('leaves a whole modality out during an outage and keeps the others', () => {
    const outages = [
      { device: 'dev-0001', modality: 'audio' },
      { device: 'dev-0002', modality: 'image', startS: 1, durationS: 2 },
    ];
    const sends = run({ devices: 2, durationS: 4, timing: { outages } });
    const of = (device: string, stream: Stream) => sends.filter((s) => s.key === device && s.stream === stream);
    expect(of('dev-0001', 'audio')).toHaveLength(0);
    expect(of('dev-0001', 'sensor')).toHaveLength(40);
    expect(of('dev-0002', 'audio')).toHaveLength(8);
    expect(of('dev-0002', 'image').map((s) => s.eventTimeMs - TEST_START_MS)).toEqual([0, 3000]);
  });
});

describe('fleetStream with skewed device clocks', () => {
  it('stamps each device’s records with its own constant clock offset within ±clockSkewMs', () => {
    const sends = run({ devices: 6, durationS: 2, timing: { latencyMs: 5, jitterMs: 5, clockSkewMs: 2000 } }, ['sensor']);
    const offsets = new Map<string, Set<number>>();
    for (const s of sends) {
      const reading = s.value as SensorReading;
      const gridMs = TEST_START_MS + reading.seq * 100;
      expect(reading.eventTimeMs).toBe(s.eventTimeMs);
      (offsets.get(s.key) ?? offsets.set(s.key, new Set()).get(s.key)!).add(reading.eventTimeMs - gridMs);
    }
    const perDevice = [...offsets.values()].map((set) => [...set]);
    for (const offset of perDevice) expect(offset).toHaveLength(1);
    for (const [offset] of perDevice) expect(Math.abs(offset!)).toBeLessThanOrEqual(2000);
    expect(new Set(perDevice.map(([o]) => o)).size).toBe(6);
    // A device ahead of the reference clock sends records stamped after their send time.
    expect(sends.some((s) => s.eventTimeMs > s.sendTimeMs)).toBe(true);
  });
});
