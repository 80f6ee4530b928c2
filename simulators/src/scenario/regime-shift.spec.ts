import { describe, expect, it } from 'vitest';
import type { SensorReading } from '../contracts';
import { planRun } from '../simulation/simulation';
import { ScenarioError, validateScenario } from './scenario-parser';

const START_MS = 1_700_000_000_000;
const SHIFT = { atS: 10, scale: { pressure: 1.4, motor_current: 1.3 }, offset: { bearing_temp: 10 } };

function scenario(regimeShift?: unknown) {
  return validateScenario({ seed: 7, durationS: 20, fleet: [{ count: 2, sensor: { rateHz: 5, regimeShift } }], timing: { latencyMs: 0, jitterMs: 0 } });
}

function readings(regimeShift?: unknown): SensorReading[] {
  const out: SensorReading[] = [];
  for (const batch of planRun(scenario(regimeShift), { startMs: START_MS, streams: new Set(['sensor']) }).batches())
    for (const send of batch) if (send.stream === 'sensor') out.push(send.value as SensorReading);
  return out;
}

const problemsOf = (regimeShift: unknown): string[] => {
  try {
    scenario(regimeShift);
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems;
    throw e;
  }
  throw new Error('expected a ScenarioError');
};

describe('sensor regimeShift', () => {
  it('parses seconds to milliseconds and defaults the missing side', () => {
    expect(scenario({ atS: 1.5, offset: { flow: -5 } }).fleet[0]!.sensor).toEqual({
      source: 'synthetic',
      rateHz: 5,
      regimeShift: { atMs: 1_500, scale: {}, offset: { flow: -5 } },
    });
  });

  it.each<[string, unknown, RegExp]>([
    ['an unknown channel', { atS: 1, scale: { torque: 2 } }, /^fleet\[0\]\.sensor\.regimeShift\.scale\.torque: expected one of rpm, motor_current/],
    ['a scale that is not > 0', { atS: 1, scale: { pressure: 0 } }, /^fleet\[0\]\.sensor\.regimeShift\.scale\.pressure: expected a number > 0/],
    ['a negative start', { atS: -1, offset: { flow: 1 } }, /^fleet\[0\]\.sensor\.regimeShift\.atS: expected a number >= 0/],
    ['no channel at all', { atS: 1 }, /^fleet\[0\]\.sensor\.regimeShift: expected at least one channel in scale or offset/],
  ])('rejects %s with its path', (_, shift, problem) => {
    expect(problemsOf(shift)).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });

  it('leaves readings before the shift bit-identical and scales, then offsets, the named channels after it', () => {
    const plain = readings();
    const shifted = readings(SHIFT);
    expect(shifted).toHaveLength(plain.length);
    const at = START_MS + SHIFT.atS * 1_000;
    const before = shifted.filter((r) => r.eventTimeMs < at);
    expect(before.length).toBeGreaterThan(0);
    expect(before).toEqual(plain.filter((r) => r.eventTimeMs < at));
    const after = shifted.map((r, i) => [r, plain[i]!] as const).filter(([r]) => r.eventTimeMs >= at);
    expect(after.length).toBeGreaterThan(0);
    // Same noise draws: shifted = healthy × scale + offset + noise, plain = healthy + noise, so shifted − plain
    // − (scale − 1) × plain = −(scale − 1) × noise: within 4σ (σ 0.05 bar, 0.3 A) times (scale − 1).
    for (const [s, p] of after) {
      expect(Math.abs(s.values.pressure! - 1.4 * p.values.pressure!)).toBeLessThan(0.4 * 0.05 * 4);
      expect(Math.abs(s.values.motor_current! - 1.3 * p.values.motor_current!)).toBeLessThan(0.3 * 0.3 * 4);
      expect(s.values.bearing_temp! - p.values.bearing_temp!).toBeCloseTo(10, 9);
      expect(s.values.flow).toBe(p.values.flow);
    }
  });
});
