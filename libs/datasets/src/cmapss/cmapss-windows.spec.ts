import { describe, expect, it } from 'vitest';
import { type CmapssRow } from './cmapss-format';
import { DEFAULT_RUL_PROTOCOL, cmapssWindows, filterWindows, labelByRul } from './cmapss-windows';

/** Engine u with n cycles; channel values encode (unit, cycle) so window contents can be checked. */
function engine(unit: number, cycles: number): CmapssRow[] {
  return Array.from({ length: cycles }, (_, i) => ({
    unit,
    cycle: i + 1,
    settings: new Float64Array(3),
    sensors: new Float64Array(21),
    rul: cycles - (i + 1),
  }));
}
const encode = (r: CmapssRow) => [r.unit * 1000 + r.cycle, -r.cycle];

describe('cmapssWindows', () => {
  it('lays windows out as [batch][steps][channels], aligned to each engine’s last cycle', () => {
    const { batch, meta, skippedUnits } = cmapssWindows([...engine(2, 7), ...engine(1, 5)], encode, { length: 3, stride: 2 });
    expect(skippedUnits).toEqual([]);
    expect(meta).toEqual([
      { unit: 1, endCycle: 3, rul: 2 },
      { unit: 1, endCycle: 5, rul: 0 },
      { unit: 2, endCycle: 3, rul: 4 },
      { unit: 2, endCycle: 5, rul: 2 },
      { unit: 2, endCycle: 7, rul: 0 },
    ]);
    expect([batch.batch, batch.steps, batch.channels]).toEqual([5, 3, 2]);
    expect(batch.data).toHaveLength(5 * 3 * 2);
    // Window 3 = unit 2, cycles 3..5.
    expect(Array.from(batch.data.subarray(3 * 6, 4 * 6))).toEqual([2003, -3, 2004, -4, 2005, -5]);
  });

  it('skips engines shorter than the window and never mixes engines', () => {
    const { meta, skippedUnits } = cmapssWindows([...engine(1, 2), ...engine(3, 4)], encode, { length: 3 });
    expect(skippedUnits).toEqual([1]);
    expect(meta.map((m) => m.endCycle)).toEqual([3, 4]);
    expect(meta.every((m) => m.unit === 3)).toBe(true);
  });

  it('filterWindows keeps the chosen windows with their data and metadata', () => {
    const all = cmapssWindows(engine(4, 6), encode, { length: 2 });
    const late = filterWindows(all, (m) => m.rul <= 1);
    expect(late.meta.map((m) => m.endCycle)).toEqual([5, 6]);
    expect(late.batch.batch).toBe(2);
    expect(Array.from(late.batch.data)).toEqual([4004, -4, 4005, -5, 4005, -5, 4006, -6]);
  });

  it('rejects bad options and ragged channel vectors', () => {
    expect(() => cmapssWindows(engine(1, 5), encode, { length: 0 })).toThrow(/window length/);
    expect(() => cmapssWindows(engine(1, 5), encode, { length: 2, stride: 0.5 })).toThrow(/stride/);
    expect(() => cmapssWindows(engine(1, 5), (r) => (r.cycle === 3 ? [1] : [1, 2]), { length: 2 })).toThrow(/cycle 3 has 1 channels/);
  });
});

describe('labelByRul', () => {
  it.each([
    [0, 'anomalous'],
    [30, 'anomalous'],
    [31, 'unlabelled'],
    [125, 'unlabelled'],
    [126, 'normal'],
  ] as const)('RUL %i → %s with the default protocol', (rul, label) => {
    expect(labelByRul(rul)).toBe(label);
  });

  it('honours custom bounds and refuses inconsistent ones or a missing RUL', () => {
    expect(labelByRul(40, { anomalousWithin: 50, normalAbove: 100 })).toBe('anomalous');
    expect(() => labelByRul(10, { anomalousWithin: 50, normalAbove: 40 })).toThrow(RangeError);
    expect(() => labelByRul(Number.NaN)).toThrow(/RUL is NaN/);
    expect(DEFAULT_RUL_PROTOCOL).toEqual({ anomalousWithin: 30, normalAbove: 125 });
  });
});
