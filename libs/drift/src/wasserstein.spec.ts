import { describe, expect, it } from 'vitest';
import { references } from './drift-references.test-helpers';
import { wasserstein1 } from './wasserstein';

describe('wasserstein1 against scipy.stats.wasserstein_distance', () => {
  it.each(references.wasserstein.map((c, i) => [i, c] as const))('case %i', (_, c) => {
    expect(wasserstein1(c.a, c.b)).toBeCloseTo(c.distance, 12);
  });

  it('is the shift between translated samples, and 0 for identical ones', () => {
    expect(wasserstein1([0, 1, 3], [5, 6, 8])).toBeCloseTo(5, 12);
    expect(wasserstein1([2, 2, 1], [1, 2, 2])).toBe(0);
  });
});
