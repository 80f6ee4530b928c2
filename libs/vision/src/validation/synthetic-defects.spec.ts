import { describe, expect, it } from 'vitest';
import type { FloatImage } from '@vigil/datasets';
import { seededRandom } from '@vigil/features';
import { pasteSyntheticDefect, SYNTHETIC_DEFECT_KINDS } from './synthetic-defects';

const SIZE = 320;

function surface(seed: number): FloatImage {
  const random = seededRandom(seed);
  const data = new Float32Array(SIZE * SIZE * 3);
  for (let p = 0; p < SIZE * SIZE; p++) data.fill(0.55 + random.normal(0, 0.03), p * 3, p * 3 + 3);
  return { data, height: SIZE, width: SIZE, channels: 3 };
}

const count = (mask: Uint8Array) => mask.reduce((a, b) => a + b, 0);

describe('pasteSyntheticDefect', () => {
  it.each(SYNTHETIC_DEFECT_KINDS)('%s: the same seed gives the same pixels, another seed another defect', (kind) => {
    const good = surface(1);
    const a = pasteSyntheticDefect(good, kind, 7);
    const b = pasteSyntheticDefect(good, kind, 7);
    const c = pasteSyntheticDefect(good, kind, 8);
    expect(a.image.data).toEqual(b.image.data);
    expect(a.mask).toEqual(b.mask);
    expect(c.mask).not.toEqual(a.mask);
  });

  it.each([
    ['crack', 20, 3_000],
    ['blowhole', 15, 400],
    ['break', 150, 12_000],
  ] as const)('%s: a small marked region (%i–%i px), changed only where the defect is, the source untouched', (kind, least, most) => {
    const good = surface(2);
    const before = good.data.slice();
    for (let seed = 0; seed < 10; seed++) {
      const { image, mask } = pasteSyntheticDefect(good, kind, seed);
      expect(count(mask)).toBeGreaterThanOrEqual(least);
      expect(count(mask)).toBeLessThanOrEqual(most);
      let insideShift = 0;
      let worstOutside = 0;
      for (let p = 0; p < SIZE * SIZE; p++) {
        const shift = Math.abs(image.data[p * 3]! - good.data[p * 3]!);
        if (mask[p]) insideShift += shift;
        // Outside the mask only the soft rim (coverage ≤ 0.5) may move, and never by much.
        else worstOutside = Math.max(worstOutside, shift / good.data[p * 3]!);
      }
      expect(worstOutside).toBeLessThanOrEqual(0.5 + 1e-5);
      // Marked pixels move by a visible amount on average (more than a tenth of a 0.55 grey; the noise is 0.03).
      expect(insideShift / count(mask)).toBeGreaterThan(0.055);
    }
    expect(good.data).toEqual(before);
  });

  it('chips a break out of an image border', () => {
    for (let seed = 0; seed < 10; seed++) {
      const { mask } = pasteSyntheticDefect(surface(3), 'break', seed);
      let border = 0;
      for (let i = 0; i < SIZE; i++) border += mask[i]! + mask[(SIZE - 1) * SIZE + i]! + mask[i * SIZE]! + mask[i * SIZE + SIZE - 1]!;
      expect(border).toBeGreaterThan(0);
    }
  });
});
