import { describe, expect, it } from 'vitest';
import { splitByGroup, splitKeys } from './group-split';

describe('splitByGroup', () => {
  const clips = [
    'valve/id_00/00000000',
    'valve/id_00/00000000',
    'valve/id_00/00000117',
    'valve/id_06/00000048',
    'fan/id_02/00000000',
    'pump/id_04/00000000',
  ].map((groupKey, i) => ({ groupKey, index: i }));

  it('keeps every group on one side and covers all items', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { train, validation } = splitByGroup(clips, (c) => c.groupKey, { validationFraction: 0.4, seed });
      expect(train.length + validation.length).toBe(clips.length);
      const trainGroups = new Set(train.map((c) => c.groupKey));
      expect(validation.some((c) => trainGroups.has(c.groupKey))).toBe(false);
      expect(new Set(validation.map((c) => c.groupKey)).size).toBe(2); // round(5 groups × 0.4)
    }
  });

  it('is deterministic per seed and independent of input order', () => {
    const a = splitKeys(['c', 'a', 'b', 'd'], { seed: 9 });
    expect(splitKeys(['d', 'b', 'a', 'c'], { seed: 9 })).toEqual(a);
  });
});
