import { describe, expect, it } from 'vitest';
import { evaluateLive, type WindowVerdict } from './live-evaluation';

/** 1 s hop, 3 s windows from 0 to 100 s, flagged where `flag(startMs)` says. */
function windows(deviceId: string, flag: (startMs: number) => boolean, sensorFault = false): WindowVerdict[] {
  return Array.from({ length: 98 }, (_, i) => ({
    deviceId,
    windowStartMs: i * 1000,
    windowEndMs: i * 1000 + 3000,
    isAnomaly: !sensorFault && flag(i * 1000),
    sensorFaults: sensorFault && flag(i * 1000) ? [{}] : [],
  }));
}

describe('evaluateLive', () => {
  it('gives window recall and median delay per fault type, and the false-alarm rate away from faults', () => {
    const verdicts = [
      ...windows('a', (t) => t >= 42_000 && t < 60_000), // fault 40–60 s: flagged from 42 s
      ...windows('b', (t) => t === 5000), // one false alarm, far from b's fault
      ...windows('c', (t) => t >= 50_000 && t < 70_000, true), // a stuck sensor, flagged as a sensor fault
    ];
    const labels = [
      { deviceId: 'a', faultType: 'cavitation', startMs: 40_000, endMs: 60_000 },
      { deviceId: 'b', faultType: 'cavitation', startMs: 80_000, endMs: 90_000 },
      { deviceId: 'c', faultType: 'sensor_stuck', startMs: 50_000, endMs: 70_000 },
    ];
    const report = evaluateLive(verdicts, labels, { marginMs: 5000 });
    const cav = report.byFaultType.cavitation!;
    expect(cav.faults).toBe(2);
    // a: midpoints in [40, 60): starts 39..58 → 20, flagged 42..58 → 17; b: starts 79..88 → 10, none flagged.
    expect(cav.windows).toBe(30);
    expect(cav.flagged).toBe(17);
    expect(cav.recall).toBeCloseTo(17 / 30);
    // Straddling an edge: a's 38 and 59 (flagged), b's 78 and 89.
    expect(cav.straddling).toBe(4);
    expect(cav.straddlingFlagged).toBe(1);
    expect(cav.recallWithStraddling).toBeCloseTo(18 / 34);
    expect(cav.delaysMs).toEqual([5000, undefined]);
    expect(cav.medianDelayMs).toBe(5000);
    const stuck = report.byFaultType.sensor_stuck!;
    expect(stuck.recall).toBeCloseTo(19 / 20);
    expect(stuck.recallWithStraddling).toBeCloseTo(20 / 22);
    expect(report.falseAlarms).toBe(1);
    expect(report.falseAlarmWindows.map((v) => [v.deviceId, v.windowStartMs])).toEqual([['b', 5000]]);
    expect(report.normalWindows).toBeGreaterThan(150);
    expect(report.falseAlarmRate).toBeCloseTo(1 / report.normalWindows);
  });
});
