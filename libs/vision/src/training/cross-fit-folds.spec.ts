import { describe, expect, it } from 'vitest';
import { assignFolds, foldCount, foldMembers } from './cross-fit-folds';

const samples = Array.from({ length: 53 }, (_, i) => ({ imagePath: `/data/train/good/${String(i).padStart(3, '0')}.png`, defectType: 'good' }));

describe('assignFolds', () => {
  it('puts every image out of fold exactly once, in disjoint folds of near-equal size', () => {
    const folds = assignFolds(samples, 5);
    expect(foldCount(folds)).toBe(5);
    const heldOut = [0, 1, 2, 3, 4].map((k) => foldMembers(folds, k).heldOut);
    expect(heldOut.flat().sort((a, b) => a - b)).toEqual(samples.map((_, i) => i));
    expect(heldOut.map((h) => h.length).sort()).toEqual([10, 10, 11, 11, 11]);
    for (const [k, members] of heldOut.entries()) {
      const { fit } = foldMembers(folds, k);
      expect(fit).toHaveLength(samples.length - members.length);
      expect(fit.some((i) => members.includes(i))).toBe(false);
    }
  });

  it('depends on file names and the seed only, not on the listing order', () => {
    const folds = assignFolds(samples, 5);
    const reversed = assignFolds([...samples].reverse(), 5).reverse();
    expect(reversed).toEqual(folds);
    expect(assignFolds(samples, 5)).toEqual(folds);
    expect(assignFolds(samples, 5, 1)).not.toEqual(folds);
    // Not a plain round-robin over the listing order: the seed shuffles.
    expect(folds).not.toEqual(samples.map((_, i) => i % 5));
  });

  it('refuses fewer than two folds or more folds than images', () => {
    expect(() => assignFolds(samples, 1)).toThrow(/at least 2 folds/);
    expect(() => assignFolds(samples.slice(0, 3), 5)).toThrow(/cannot fill 5 folds/);
  });
});
