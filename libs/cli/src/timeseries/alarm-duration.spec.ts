import { describe, expect, it } from 'vitest';
import { InputError } from '../cli-errors';
import { dropShortAlarms } from './alarm-duration';

const alarm = (start: number, end: number) => ({ start, end, peakIndex: start, peakScore: 1 });
/** 10 rows at 0.5 Hz: two seconds a row. */
const time = Array.from({ length: 10 }, (_, r) => new Date(Date.UTC(2024, 0, 1, 0, 0, 2 * r)).toISOString());

describe('dropShortAlarms', () => {
  it('keeps alarms lasting at least the minimum, in seconds from the time column, not rows', () => {
    // rows 1–3 last 4 s, rows 5–9 last 8 s: with 6 s, a 3-row alarm goes, a 5-row one stays.
    expect(dropShortAlarms([alarm(1, 3), alarm(5, 9)], 6, time, 'a.csv')).toEqual([alarm(5, 9)]);
    expect(dropShortAlarms([alarm(1, 3), alarm(5, 9)], 4, time, 'a.csv')).toHaveLength(2);
  });

  it('is off at 0, and needs dates otherwise', () => {
    expect(dropShortAlarms([alarm(1, 1)], 0, undefined, 'a.csv')).toHaveLength(1);
    expect(() => dropShortAlarms([alarm(1, 1)], 5, undefined, 'a.csv')).toThrow(InputError);
    expect(() => dropShortAlarms([alarm(1, 1)], 5, ['1', 'x'], 'a.csv')).toThrow(/a.csv: --min-alarm-seconds needs a time column of dates; row 2 has "x"/);
  });
});
