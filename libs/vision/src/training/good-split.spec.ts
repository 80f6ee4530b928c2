import { describe, expect, it } from 'vitest';
import { splitGood } from './good-split';

const samples = Array.from({ length: 50 }, (_, i) => ({ imagePath: `/data/train/good/${String(i).padStart(3, '0')}.png`, defectType: 'good' }));

describe('splitGood', () => {
  it('holds out the same images on every call, disjoint from the fit set', () => {
    const a = splitGood(samples, 0.1);
    const b = splitGood([...samples].reverse(), 0.1);
    expect(a.calibration).toHaveLength(5);
    expect(a.calibration).toEqual(b.calibration);
    expect(a.fit).toHaveLength(45);
    expect(a.fit.some((s) => a.calibration.includes(s))).toBe(false);
    expect(splitGood(samples, 0.1, 1).calibration).not.toEqual(a.calibration);
  });
});
