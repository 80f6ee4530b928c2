import { mulberry32 } from '@vigil/features';
import { describe, expect, it } from 'vitest';
import { assessSensorHealth, InvalidSensorHealthConfigError, sensorHealthConfig, type TimedReading } from './sensor-health';

const START = 1_000_000;
const END = START + 3000;

/** 10 Hz readings over the window: temp ≈ 60 ± noise, pressure ≈ 5 ± noise; `edit` changes sample i. */
function window(edit: (i: number, values: Record<string, number>) => void = () => {}, seed = 1): TimedReading[] {
  const random = mulberry32(seed);
  return Array.from({ length: 30 }, (_, i) => {
    const values: Record<string, number> = { temp: 60 + 0.2 * (random() - 0.5), pressure: 5 + 0.05 * (random() - 0.5) };
    edit(i, values);
    return { eventTimeMs: START + i * 100, value: { values } };
  });
}

const config = sensorHealthConfig({
  channels: { temp: { min: -20, max: 150, maxRatePerS: 5, rateNoiseAllowance: 1 }, pressure: { min: 0, max: 16 } },
  expectedRateHz: 10,
  maxGapMs: 1000,
});

const kindsOf = (report: { faults: { channel: string; kind: string }[] }) => report.faults.map((f) => `${f.channel}:${f.kind}`);
const kinds = (readings: TimedReading[]) => assessSensorHealth(readings, START, END, config).faults.map((f) => `${f.channel}:${f.kind}`);

describe('assessSensorHealth', () => {
  it('passes noisy normal windows', () => {
    for (let seed = 1; seed <= 20; seed++) expect(assessSensorHealth(window(undefined, seed), START, END, config)).toEqual({ healthy: true, faults: [] });
  });

  it.each<[string, (i: number, v: Record<string, number>) => void, string[]]>([
    ['stuck for the whole window', (_i, v) => (v.temp = 61.25), ['temp:stuck']],
    ['stuck from mid-window on', (i, v) => (i >= 12 ? (v.pressure = 5.01) : undefined), ['pressure:stuck']],
    ['stuck for only a third of the window', (i, v) => (i >= 20 ? (v.pressure = 5.01) : undefined), []],
    ['dropped out entirely', (_i, v) => delete v.temp, ['temp:dropout']],
    ['NaN values count as missing', (_i, v) => (v.pressure = Number.NaN), ['pressure:dropout']],
    ['dropped out for the last 1.5 s', (i, v) => (i >= 15 ? delete v.temp : undefined), ['temp:dropout']],
    ['one value over the range', (i, v) => (i === 7 ? (v.pressure = 40) : undefined), ['pressure:out_of_range']],
    ['below the range', (_i, v) => (v.pressure = v.pressure! - 6), ['pressure:out_of_range']],
    ['a 10 °C jump in 100 ms', (i, v) => (i >= 20 ? (v.temp = v.temp! + 10) : undefined), ['temp:rate_of_change']],
    ['a 1 °C/s ramp is plausible', (i, v) => (v.temp = v.temp! + 0.1 * i), []],
  ])('%s', (_name, edit, expected) => {
    expect(kinds(window(edit))).toEqual(expected);
  });

  it('ignores the lead-in before the device’s first reading (start-up), not a gap after it', () => {
    // The device's stream starts 1.5 s into the window: before it there is nothing to miss.
    const late = window().filter((r) => r.eventTimeMs >= START + 1500);
    expect(assessSensorHealth(late, START, END, config).faults.map((f) => f.kind)).toEqual(['dropout', 'dropout']); // without the first reading known
    expect(assessSensorHealth(late, START, END, config, START + 1500)).toEqual({ healthy: true, faults: [] });
    // A window that ends before the first reading has nothing to judge.
    expect(assessSensorHealth([], START, END, config, END + 100)).toEqual({ healthy: true, faults: [] });
    // The same readings with an earlier first reading are a real 1.5 s gap.
    expect(assessSensorHealth(late, START, END, config, START - 5000).faults.map((f) => `${f.channel}:${f.kind}`)).toEqual([
      'temp:dropout',
      'pressure:dropout',
    ]);
    // After the lead-in the rules apply as usual: a dropout later in the window is still one.
    const gapAfter = late.filter((r) => r.eventTimeMs < START + 1800 || r.eventTimeMs >= START + 2900);
    expect(kindsOf(assessSensorHealth(gapAfter, START, END, config, START + 1500))).toContain('temp:dropout');
  });

  it('ignores the lead-out after a quiet device’s last reading (a flushed window), not a gap before it', () => {
    // The device's stream ends 1.5 s into the window, which was flushed because the device went quiet.
    const early = window().filter((r) => r.eventTimeMs < START + 1500);
    const last = early.at(-1)!.eventTimeMs;
    expect(kindsOf(assessSensorHealth(early, START, END, config))).toEqual(['temp:dropout', 'pressure:dropout']); // stream end unknown
    expect(assessSensorHealth(early, START, END, config, undefined, last)).toEqual({ healthy: true, faults: [] });
    // A window that starts after the stream ended has nothing to judge.
    expect(assessSensorHealth([], END + 100, END + 3000, config, undefined, END)).toEqual({ healthy: true, faults: [] });
    // Before the stream's end the rules apply as usual.
    const gapBefore = early.filter((r) => r.eventTimeMs < START + 200 || r.eventTimeMs >= START + 1300);
    expect(kindsOf(assessSensorHealth(gapBefore, START, END, config, undefined, last))).toContain('temp:dropout');
  });

  it('names the channel, the kind and what it measured', () => {
    const [fault] = assessSensorHealth(
      window((_i, v) => (v.temp = 61.25)),
      START,
      END,
      config,
    ).faults;
    expect(fault).toMatchObject({ channel: 'temp', kind: 'stuck', observed: 1, limit: 0.5 });
    expect(fault!.message).toMatch(/30 of 30 samples unchanged/);
  });

  it('a tolerance makes quantised but live channels pass and still catches frozen ones', () => {
    const quantised = window((i, v) => (v.temp = i % 2 === 0 ? 60 : 60.5));
    const strict = sensorHealthConfig({ channels: { temp: {} } });
    const tolerant = sensorHealthConfig({ channels: { temp: { stuckTolerance: 0.1 } } });
    expect(assessSensorHealth(quantised, START, END, strict).healthy).toBe(true);
    expect(
      assessSensorHealth(
        window((_i, v) => (v.temp = 60.04 + (_i % 2) * 0.05)),
        START,
        END,
        tolerant,
      ).faults[0]?.kind,
    ).toBe('stuck');
  });

  it.each([{ stuckMinFraction: 0 }, { stuckMinSamples: 1 }, { minCoverage: 2 }, { channels: { x: { min: 2, max: 1 } } }])('rejects %j', (bad) => {
    expect(() => sensorHealthConfig({ channels: {}, ...bad })).toThrow(InvalidSensorHealthConfigError);
  });
});
