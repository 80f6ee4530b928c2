import { describe, expect, it } from 'vitest';
import { mapMax, topKMean } from './anomaly-map';

describe('topKMean', () => {
  const map = Float32Array.from([0.5, 4, 1, 3, 2, 0]);

  it('is the maximum at k = 1 and the mean of the k largest cells above it', () => {
    expect(topKMean(map, 1)).toBe(mapMax(map));
    expect(topKMean(map, 2)).toBeCloseTo(3.5, 6);
    expect(topKMean(map, 3)).toBeCloseTo(3, 6);
  });

  it('averages the whole map when k exceeds its cells, and leaves the map untouched', () => {
    expect(topKMean(map, 50)).toBeCloseTo(10.5 / 6, 6);
    expect([...map]).toEqual([0.5, 4, 1, 3, 2, 0]);
  });

  it('ranks a spread-out defect above one odd cell where the maximum cannot', () => {
    const odd = Float32Array.from([9, 1, 1, 1, 1, 1]);
    const spread = Float32Array.from([8, 7, 7, 1, 1, 1]);
    expect(mapMax(odd)).toBeGreaterThan(mapMax(spread));
    expect(topKMean(spread, 3)).toBeGreaterThan(topKMean(odd, 3));
  });
});
