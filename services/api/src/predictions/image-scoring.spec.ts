import { describe, expect, it } from 'vitest';
import { explainImage, hottestRegion } from './image-scoring';

describe('image root cause', () => {
  it('finds the hottest cell and words where it is', () => {
    const map = new Float32Array(12); // 3 × 4
    map[2 * 4 + 3] = 3; // bottom right
    map[0] = 1;
    expect(hottestRegion(map, [3, 4])).toEqual({ row: 2, col: 3, share: 0.75 });
    expect(explainImage(map, [3, 4])).toMatchObject({ summary: expect.stringContaining('bottom right'), modalityShares: { IMAGE: 1 } });
  });
});
