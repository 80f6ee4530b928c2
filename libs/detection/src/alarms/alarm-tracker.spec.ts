import { describe, expect, it } from 'vitest';
import { AlarmTracker, alarmIntervals, alarmMask, InvalidAlarmOptionsError } from './alarm-tracker';

/** Scores from a compact picture: '#' above the threshold 1, '~' between 0.5 and 1, '.' quiet. */
const scoresOf = (picture: string) => Array.from(picture, (ch) => (ch === '#' ? 2 : ch === '~' ? 0.7 : 0));

describe('AlarmTracker', () => {
  // Intervals trimmed to their last loud row, the score's own extent.
  it.each([
    ['a lone spike is no alarm with 3-of-5', '..#.....#...', { k: 3, n: 5 }, []],
    ['3 of 5 opens at the third exceedance', '..#.#.#.....', { k: 3, n: 5, clearAfter: 2 }, [[6, 6]]],
    [
      '1-of-1 flags every run',
      '##..##',
      { k: 1, n: 1, clearAfter: 1, minGap: 0 },
      [
        [0, 1],
        [4, 5],
      ],
    ],
    ['the minimum gap merges two runs into one alarm', '###.....###', { k: 1, n: 1, clearAfter: 1, minGap: 6 }, [[0, 10]]],
    [
      'beyond the minimum gap they stay two',
      '###......###',
      { k: 1, n: 1, clearAfter: 1, minGap: 6 },
      [
        [0, 2],
        [9, 11],
      ],
    ],
    [
      'without hysteresis a hovering fault splits',
      '##~~##~~##',
      { k: 1, n: 1, clearAfter: 2, minGap: 0 },
      [
        [0, 1],
        [4, 5],
        [8, 9],
      ],
    ],
    ['with hysteresis it stays one alarm', '##~~##~~##', { k: 1, n: 1, clearAfter: 2, minGap: 0, clearRatio: 0.5 }, [[0, 9]]],
    ['an alarm open at the end is closed there', '....###', { k: 2, n: 3 }, [[5, 6]]],
  ])('%s', (_name, picture, options, expected) => {
    const alarms = alarmIntervals(scoresOf(picture), 1, { ...options, end: 'last-exceedance' });
    expect(alarms.map((a) => [a.start, a.end])).toEqual(expected);
  });

  // The default: an alarm lasts until it clears, the way the panel showed it.
  it.each([
    ['runs through the quiet rows before the clear', '###......', { k: 1, n: 1, clearAfter: 3, minGap: 0 }, [[0, 4]]],
    ['a hovering fault with hysteresis', '##~~##~~##....', { k: 1, n: 1, clearAfter: 2, minGap: 0, clearRatio: 0.5 }, [[0, 10]]],
    ['an alarm open at the end runs to the last row', '....###..', { k: 2, n: 3, clearAfter: 5 }, [[5, 8]]],
    ['merged alarms cover the gap', '##....##.....', { k: 1, n: 1, clearAfter: 2, minGap: 4 }, [[0, 8]]],
  ])('cleared: %s', (_name, picture, options, expected) => {
    const alarms = alarmIntervals(scoresOf(picture), 1, options);
    expect(alarms.map((a) => [a.start, a.end])).toEqual(expected);
  });

  it('cleared: reports exactly the rows for which push said an alarm was on', () => {
    const scores = scoresOf('..#.##~~#....###.~.#......##.#...');
    const tracker = new AlarmTracker({ k: 2, n: 3, clearAfter: 3, clearRatio: 0.5, minGap: 0 });
    const live = scores.map((s) => (tracker.push(s, 1) ? 1 : 0));
    expect(Array.from(alarmMask(tracker.finish(), scores.length))).toEqual(live);
  });

  it('records the peak and takes one threshold per score', () => {
    const [alarm] = alarmIntervals([0, 3, 5, 4, 0, 0], [1, 1, 1, 1, 10, 10], { k: 1, n: 1, clearAfter: 1, end: 'last-exceedance' });
    expect(alarm).toEqual({ start: 1, end: 3, peakIndex: 2, peakScore: 5 });
    expect(Array.from(alarmMask([alarm!], 6))).toEqual([0, 1, 1, 1, 0, 0]);
  });

  it('says whether an alarm is open as it goes', () => {
    const tracker = new AlarmTracker({ k: 2, n: 2, clearAfter: 1 });
    expect([2, 2, 2, 0].map((s) => tracker.push(s, 1))).toEqual([false, true, true, false]);
  });

  it('rejects impossible options', () => {
    expect(() => new AlarmTracker({ k: 4, n: 3 })).toThrow(InvalidAlarmOptionsError);
    expect(() => new AlarmTracker({ clearRatio: 0 })).toThrow(/clearRatio/);
    expect(() => new AlarmTracker({ end: 'whenever' as 'cleared' })).toThrow(/end must be one of cleared, last-exceedance/);
  });
});
