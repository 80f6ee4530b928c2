import { describe, expect, it } from 'vitest';
import { sensorFrame, sensorFrameScorable, sensorStreamShare } from './sensor-frame';

const reading = (t: number, values: Record<string, number>) => ({ eventTimeMs: t, value: { values }, source: { topic: 's', partition: 0, offset: '0' } });

describe('sensorFrame', () => {
  it('returns one reading per step unchanged when the device samples on the grid', () => {
    const rs = [0, 100, 200].map((t, i) => reading(1000 + t, { a: i, b: 10 * i }));
    const { data, missingChannels } = sensorFrame(rs, 1000, 1300, ['a', 'b'], 3);
    expect([...data]).toEqual([0, 0, 1, 10, 2, 20]);
    expect(missingChannels).toEqual([]);
  });

  it('interpolates across a dropped reading and holds the edges', () => {
    const rs = [reading(1100, { a: 1 }), reading(1300, { a: 3 })]; // 1000 and 1200 dropped
    const { data } = sensorFrame(rs, 1000, 1400, ['a'], 4);
    expect([...data]).toEqual([1, 1, 2, 3]);
  });

  it('ignores non-finite values and reports channels absent from the whole window', () => {
    const rs = [reading(1000, { a: Number.NaN, b: 1 }), reading(1100, { a: 2, b: 2 })];
    const { data, missingChannels } = sensorFrame(rs, 1000, 1200, ['a', 'b', 'c'], 2);
    expect([...data]).toEqual([2, 1, 0, 2, 2, 0]);
    expect(missingChannels).toEqual(['c']);
  });
});

describe('sensorStreamShare', () => {
  it('is the share of the window between the device’s first reading and the end of its stream', () => {
    expect(sensorStreamShare({ startMs: 1000, endMs: 4000 })).toBe(1);
    expect(sensorStreamShare({ startMs: 1000, endMs: 4000, streamEndMs: 2500 })).toBe(0.5);
    expect(sensorStreamShare({ startMs: 1000, endMs: 4000, firstEventMs: { SENSOR: 3400 } })).toBeCloseTo(0.2, 12);
    expect(sensorStreamShare({ startMs: 1000, endMs: 4000, firstEventMs: { SENSOR: 1600 }, streamEndMs: 3100 })).toBeCloseTo(0.5, 12);
    expect(sensorStreamShare({ startMs: 1000, endMs: 4000, streamEndMs: 500 })).toBe(0);
    // A stream that began before the window and ends after it covers it all.
    expect(sensorStreamShare({ startMs: 1000, endMs: 4000, firstEventMs: { SENSOR: 0 }, streamEndMs: 9000 })).toBe(1);
  });

  it('makes a window scorable from half of it on', () => {
    expect(sensorFrameScorable({ startMs: 1000, endMs: 4000, streamEndMs: 2500 })).toBe(true);
    expect(sensorFrameScorable({ startMs: 1000, endMs: 4000, streamEndMs: 2499 })).toBe(false);
  });
});
