import { describe, expect, it } from 'vitest';
import type { FloatImage } from '@vigil/datasets';
import { flipHorizontal, gaussianBlur, imageAugmenter, jitter, rotate } from './image-augmentation';

function ramp(height = 6, width = 8, channels = 1): FloatImage {
  const data = Float32Array.from({ length: height * width * channels }, (_, i) => ((i * 7919) % 101) / 100);
  return { data, height, width, channels };
}

const OPTIONS = { seed: 7, flipHorizontal: 0.5, flipVertical: 0.5, rotateDegrees: 15, brightness: 0.1, contrast: 0.2, blurSigma: 1.5 };

describe('imageAugmenter', () => {
  it('gives the same images for the same seed and different ones for another seed', () => {
    const a = imageAugmenter(OPTIONS);
    const b = imageAugmenter(OPTIONS);
    const c = imageAugmenter({ ...OPTIONS, seed: 8 });
    const image = ramp();
    for (let i = 0; i < 5; i++) {
      const fromA = a(image).data;
      expect(Array.from(fromA)).toEqual(Array.from(b(image).data));
      expect(Array.from(fromA)).not.toEqual(Array.from(c(image).data));
    }
  });

  it('leaves its input untouched', () => {
    const image = ramp();
    const before = Array.from(image.data);
    imageAugmenter(OPTIONS)(image);
    expect(Array.from(image.data)).toEqual(before);
  });
});

describe('transforms', () => {
  it('flips left to right', () => {
    const image = ramp(2, 3);
    expect(Array.from(flipHorizontal(image).data)).toEqual([2, 1, 0, 5, 4, 3].map((i) => image.data[i]!));
  });

  it('rotates by 90° exactly like an index permutation on a square image', () => {
    const image = ramp(5, 5);
    const turned = rotate(image, 90);
    for (let y = 0; y < 5; y++) for (let x = 0; x < 5; x++) expect(turned.data[y * 5 + x]).toBeCloseTo(image.data[(4 - x) * 5 + y]!, 5);
  });

  it('keeps the mean under blur and contrast, shifts it by the brightness', () => {
    const image = ramp(16, 16);
    const mean = (img: FloatImage) => img.data.reduce((a, b) => a + b, 0) / img.data.length;
    expect(mean(jitter(image, 0, 1.5))).toBeCloseTo(mean(image), 5);
    expect(mean(jitter(image, 0.25, 1))).toBeCloseTo(mean(image) + 0.25, 5);
    const blurred = gaussianBlur(image, 1);
    expect(Math.abs(mean(blurred) - mean(image))).toBeLessThan(0.02);
    const variance = (img: FloatImage) => img.data.reduce((a, b) => a + (b - mean(img)) ** 2, 0);
    expect(variance(blurred)).toBeLessThan(variance(image) / 2);
  });
});
