import { describe, expect, it } from 'vitest';
import { splitUnits, unitsOf } from './engine-split';

const units = Array.from({ length: 100 }, (_, i) => i + 1);

describe('splitUnits', () => {
  it('splits engines into disjoint sets covering all of them', () => {
    const { train, validation } = splitUnits(units, { validationFraction: 0.2, seed: 3 });
    expect(validation.size).toBe(20);
    expect(train.size).toBe(80);
    expect([...train].filter((u) => validation.has(u))).toEqual([]);
    expect(new Set([...train, ...validation])).toEqual(new Set(units));
  });

  it('is deterministic per seed and differs across seeds', () => {
    const a = splitUnits(units, { seed: 1 }).validation;
    expect(splitUnits(units, { seed: 1 }).validation).toEqual(a);
    expect(splitUnits(units, { seed: 2 }).validation).not.toEqual(a);
  });

  it('keeps at least one engine on each side', () => {
    expect(splitUnits([4, 9], { validationFraction: 0.01 }).validation.size).toBe(1);
    expect(splitUnits([4, 9], { validationFraction: 0.99 }).train.size).toBe(1);
    expect(() => splitUnits([4])).toThrow(/two groups/);
    expect(() => splitUnits(units, { validationFraction: 1 })).toThrow(RangeError);
  });

  it('unitsOf lists distinct units in order', () => {
    expect(unitsOf([{ unit: 3 }, { unit: 1 }, { unit: 3 }])).toEqual([1, 3]);
  });
});
