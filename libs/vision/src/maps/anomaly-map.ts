/**
 * Grid-level anomaly maps → what users see: Gaussian smoothing on the feature grid (cracks are thin; a little
 * smoothing lets neighbouring patches vote), the image score as the map's maximum, and bilinear upsampling to
 * any pixel size for the heat map and the pixel ROC-AUC.
 *
 * @example
 *   const smooth = smoothMap(grid, 32, 32, 2);
 *   const score = mapMax(smooth);
 *   const pixels = upsampleBilinear(smooth, 32, 32, 256, 256);
 */

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

export function mapMax(map: Float32Array): number {
  let best = Number.NEGATIVE_INFINITY;
  for (const v of map) if (v > best) best = v;
  return best;
}

/** Align-corners-false bilinear resize (cell centres line up, as in image resizers). */
export function upsampleBilinear(map: Float32Array, height: number, width: number, outHeight: number, outWidth: number): Float32Array {
  const out = new Float32Array(outHeight * outWidth);
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
      const top = map[y0 * width + x0]! * (1 - fx) + map[y0 * width + x1]! * fx;
      const bottom = map[y1 * width + x0]! * (1 - fx) + map[y1 * width + x1]! * fx;
      out[y * outWidth + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}
