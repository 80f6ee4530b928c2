import { describe, expect, it } from 'vitest';
import { resizeImage } from './resize-image';

describe('resizeImage', () => {
  it('keeps a constant image constant and returns the same image at its own size', () => {
    const image = { data: new Float32Array(5 * 4 * 3).fill(0.25), height: 5, width: 4, channels: 3 };
    const small = resizeImage(image, [3, 2]);
    expect(small.height).toBe(3);
    expect(small.width).toBe(2);
    expect(Array.from(small.data).every((v) => Math.abs(v - 0.25) < 1e-7)).toBe(true);
    expect(resizeImage(image, [5, 4])).toBe(image);
  });

  it('interpolates a horizontal ramp linearly and keeps channels apart', () => {
    const width = 8;
    const data = new Float32Array(2 * width * 2);
    for (let y = 0; y < 2; y++)
      for (let x = 0; x < width; x++) {
        data[(y * width + x) * 2] = x;
        data[(y * width + x) * 2 + 1] = -x;
      }
    const half = resizeImage({ data, height: 2, width, channels: 2 }, [2, 4]);
    // Output pixel x samples source x' = 2x + 0.5.
    expect(Array.from({ length: 4 }, (_, x) => half.data[x * 2])).toEqual([0.5, 2.5, 4.5, 6.5]);
    expect(half.data[1]).toBe(-0.5);
  });
});
