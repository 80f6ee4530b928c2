/**
 * Grid-level anomaly maps → what users see: Gaussian smoothing on the feature grid (cracks are thin; a little
 * smoothing lets neighbouring patches vote), the image score as the map's maximum (or its top-k mean), and bilinear upsampling to
 * any pixel size for the heat map and the pixel ROC-AUC.
 *
 * @example
 *   const smooth = smoothMap(grid, 32, 32, 2);
 *   const score = mapMax(smooth);
 *   const pixels = upsampleBilinear(smooth, 32, 32, 256, 256);
 */
import { resizeImage } from '../features/resize-image';

export function smoothMap(map: Float32Array, height: number, width: number, sigma: number): Float32Array {
  if (sigma <= 0) return map.slice();
  const radius = Math.ceil(4 * sigma);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const total = kernel.reduce((a, b) => a + b, 0);
  const weights = kernel.map((k) => k / total);
  const clamp = (v: number, hi: number) => (v < 0 ? 0 : v > hi ? hi : v);
  const tmp = new Float32Array(map.length);
  const out = new Float32Array(map.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) sum += weights[k + radius]! * map[y * width + clamp(x + k, width - 1)]!;
      tmp[y * width + x] = sum;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) sum += weights[k + radius]! * tmp[clamp(y + k, height - 1) * width + x]!;
      out[y * width + x] = sum;
    }
  }
  return out;
}

/**
 * Mean of the `k` largest cells (k = 1: the maximum). A defect covering several cells lifts all of them, while one
 * odd cell of a good image lifts one; k is an image-score knob chosen on validation.
 */
export function topKMean(map: Float32Array, k: number): number {
  if (k <= 1) return mapMax(map);
  const top = Float32Array.from(map)
    .sort()
    .subarray(Math.max(0, map.length - k));
  let sum = 0;
  for (const v of top) sum += v;
  return sum / top.length;
}

export function mapMax(map: Float32Array): number {
  let best = Number.NEGATIVE_INFINITY;
  for (const v of map) if (v > best) best = v;
  return best;
}

/** Align-corners-false bilinear resize (cell centres line up, as in image resizers): `resizeImage` on one channel. */
export function upsampleBilinear(map: Float32Array, height: number, width: number, outHeight: number, outWidth: number): Float32Array {
  const resized = resizeImage({ data: map, height, width, channels: 1 }, [outHeight, outWidth]).data;
  // resizeImage hands back its input at the same size; callers own the map they get.
  return resized === map ? Float32Array.from(map) : resized;
}
