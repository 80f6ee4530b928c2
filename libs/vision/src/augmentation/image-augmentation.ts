/**
 * Seeded image augmentation on channels-last float images: flips, rotation, colour jitter and Gaussian blur.
 * Every random choice comes from one mulberry32 stream (`@vigil/features`), so the same seed gives the same
 * images on every machine; each transform is also exported on its own for explicit use (test-time augmentation).
 *
 * @example
 *   const augment = imageAugmenter({ seed: 7, flipHorizontal: 0.5, rotateDegrees: 10, brightness: 0.1, blurSigma: 1 });
 *   const variant = augment(image); // a new FloatImage; the input is not touched
 */
import { seededRandom } from '@vigil/features';
import type { FloatImage } from '@vigil/datasets';

export interface AugmentationOptions {
  seed: number;
  /** Probability of a left–right flip. */
  flipHorizontal?: number;
  /** Probability of an up–down flip. */
  flipVertical?: number;
  /** Rotation drawn uniformly from ±this many degrees about the centre (edges clamped). */
  rotateDegrees?: number;
  /** Brightness offset drawn from ±this (in the image's own units). */
  brightness?: number;
  /** Contrast factor drawn from 1 ± this, about the image mean. */
  contrast?: number;
  /** Blur with a Gaussian whose sigma is drawn from 0..this pixels. */
  blurSigma?: number;
}

export function imageAugmenter(options: AugmentationOptions): (image: FloatImage) => FloatImage {
  const random = seededRandom(options.seed);
  return (image) => {
    let out = image;
    // Draw every number whether or not it is used, so one option does not shift the stream of the others.
    const draws = {
      h: random.uniform(),
      v: random.uniform(),
      angle: random.uniform(),
      bright: random.uniform(),
      contrast: random.uniform(),
      blur: random.uniform(),
    };
    if (draws.h < (options.flipHorizontal ?? 0)) out = flipHorizontal(out);
    if (draws.v < (options.flipVertical ?? 0)) out = flipVertical(out);
    if (options.rotateDegrees) out = rotate(out, (draws.angle * 2 - 1) * options.rotateDegrees);
    if (options.brightness || options.contrast) {
      out = jitter(out, (draws.bright * 2 - 1) * (options.brightness ?? 0), 1 + (draws.contrast * 2 - 1) * (options.contrast ?? 0));
    }
    if (options.blurSigma) out = gaussianBlur(out, draws.blur * options.blurSigma);
    return out;
  };
}

export function flipHorizontal(image: FloatImage): FloatImage {
  return remap(image, (y, x) => [y, image.width - 1 - x]);
}

export function flipVertical(image: FloatImage): FloatImage {
  return remap(image, (y, x) => [image.height - 1 - y, x]);
}

/** Rotation about the centre with bilinear sampling; samples outside the image take the nearest edge pixel. */
export function rotate(image: FloatImage, degrees: number): FloatImage {
  const { height, width, channels, data } = image;
  const cos = Math.cos((degrees * Math.PI) / 180);
  const sin = Math.sin((degrees * Math.PI) / 180);
  const cy = (height - 1) / 2;
  const cx = (width - 1) / 2;
  const out = new Float32Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sy = clamp(cy + (y - cy) * cos - (x - cx) * sin, 0, height - 1);
      const sx = clamp(cx + (y - cy) * sin + (x - cx) * cos, 0, width - 1);
      const y0 = Math.floor(sy);
      const x0 = Math.floor(sx);
      const y1 = Math.min(y0 + 1, height - 1);
      const x1 = Math.min(x0 + 1, width - 1);
      const fy = sy - y0;
      const fx = sx - x0;
      for (let c = 0; c < channels; c++) {
        const at = (yy: number, xx: number) => data[(yy * width + xx) * channels + c] ?? 0;
        const top = at(y0, x0) * (1 - fx) + at(y0, x1) * fx;
        const bottom = at(y1, x0) * (1 - fx) + at(y1, x1) * fx;
        out[(y * width + x) * channels + c] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return { ...image, data: out };
}

/** value → mean + contrast·(value − mean) + brightness, per channel mean. */
export function jitter(image: FloatImage, brightness: number, contrast: number): FloatImage {
  const { channels, data } = image;
  const means = new Float64Array(channels);
  for (let i = 0; i < data.length; i++) means[i % channels]! += data[i]!;
  for (let c = 0; c < channels; c++) means[c]! /= data.length / channels;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const mean = means[i % channels]!;
    out[i] = mean + contrast * (data[i]! - mean) + brightness;
  }
  return { ...image, data: out };
}

/** Separable Gaussian blur, kernel radius ⌈3σ⌉, edges clamped; σ < 0.1 returns a copy. */
export function gaussianBlur(image: FloatImage, sigma: number): FloatImage {
  if (sigma < 0.1) return { ...image, data: image.data.slice() };
  const radius = Math.ceil(3 * sigma);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const total = kernel.reduce((a, b) => a + b, 0);
  const weights = kernel.map((k) => k / total);
  const pass = (src: FloatImage, horizontal: boolean): FloatImage => {
    const { height, width, channels, data } = src;
    const out = new Float32Array(data.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let c = 0; c < channels; c++) {
          let sum = 0;
          for (let k = -radius; k <= radius; k++) {
            const yy = horizontal ? y : clamp(y + k, 0, height - 1);
            const xx = horizontal ? clamp(x + k, 0, width - 1) : x;
            sum += weights[k + radius]! * data[(yy * width + xx) * channels + c]!;
          }
          out[(y * width + x) * channels + c] = sum;
        }
      }
    }
    return { ...src, data: out };
  };
  return pass(pass(image, true), false);
}

function remap(image: FloatImage, source: (y: number, x: number) => [number, number]): FloatImage {
  const { height, width, channels, data } = image;
  const out = new Float32Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sy, sx] = source(y, x);
      for (let c = 0; c < channels; c++) out[(y * width + x) * channels + c] = data[(sy * width + sx) * channels + c]!;
    }
  }
  return { ...image, data: out };
}

function clamp(value: number, lo: number, hi: number): number {
  return value < lo ? lo : value > hi ? hi : value;
}
