/**
 * An anomaly map as a PNG heat map over the image: map values scaled so that the threshold sits at mid-scale
 * (blue = normal, red = twice the threshold or more), blended over the grey image.
 *
 * @example
 *   await writeHeatMap('maps/tile.png', map, [32, 32], grey, threshold);
 */
import sharp from 'sharp';
import type { FloatImage } from '@vigil/datasets';
import { upsampleBilinear } from './anomaly-map';

/** A compact blue → cyan → yellow → red ramp, t in 0..1. */
export function heatColour(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t));
  const r = Math.min(1, Math.max(0, 2 * x - 0.5));
  const g = Math.min(1, Math.max(0, 1.5 - Math.abs(4 * x - 2)));
  const b = Math.min(1, Math.max(0, 1 - 2 * x + 0.5));
  return [Math.round(255 * r), Math.round(255 * g), Math.round(255 * b)];
}

export async function writeHeatMap(file: string, map: Float32Array, mapSize: readonly [number, number], base: FloatImage, threshold: number): Promise<void> {
  const { height, width } = base;
  const pixels = upsampleBilinear(map, mapSize[0], mapSize[1], height, width);
  const scale = Number.isFinite(threshold) && threshold > 0 ? 1 / (2 * threshold) : 1 / Math.max(...pixels);
  const rgb = Buffer.alloc(height * width * 3);
  for (let p = 0; p < height * width; p++) {
    const grey = Math.min(1, Math.max(0, base.data[p * base.channels]!));
    const colour = heatColour(pixels[p]! * scale);
    for (let c = 0; c < 3; c++) rgb[p * 3 + c] = Math.round(0.5 * grey * 255 + 0.5 * colour[c]!);
  }
  await sharp(rgb, { raw: { width, height, channels: 3 } })
    .png()
    .toFile(file);
}
