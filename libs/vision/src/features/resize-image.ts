/**
 * Bilinear resize of a decoded image (align-corners-false, like the image resizers): the multi-scale model decodes
 * each image once at its largest input size and derives the smaller ones here, in training and in scoring alike,
 * so both see the same pixels.
 *
 * @example
 *   const small = resizeImage(await decodeForBackbone(file, [320, 320]), [256, 256]);
 */
import type { FloatImage } from '@vigil/datasets';

export function resizeImage(image: FloatImage, size: readonly [number, number]): FloatImage {
  const [outHeight, outWidth] = size;
  const { height, width, channels, data } = image;
  if (outHeight === height && outWidth === width) return image;
  const out = new Float32Array(outHeight * outWidth * channels);
  for (let y = 0; y < outHeight; y++) {
    const sy = Math.min(Math.max(((y + 0.5) * height) / outHeight - 0.5, 0), height - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, height - 1);
    const fy = sy - y0;
    for (let x = 0; x < outWidth; x++) {
      const sx = Math.min(Math.max(((x + 0.5) * width) / outWidth - 0.5, 0), width - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, width - 1);
      const fx = sx - x0;
      const [a, b, c, d] = [(y0 * width + x0) * channels, (y0 * width + x1) * channels, (y1 * width + x0) * channels, (y1 * width + x1) * channels];
      for (let k = 0; k < channels; k++) {
        const top = data[a + k]! * (1 - fx) + data[b + k]! * fx;
        const bottom = data[c + k]! * (1 - fx) + data[d + k]! * fx;
        out[(y * outWidth + x) * channels + k] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return { data: out, height: outHeight, width: outWidth, channels };
}
