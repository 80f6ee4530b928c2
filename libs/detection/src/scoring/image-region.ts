/**
 * Where an image anomaly sits, for the root cause: the anomaly map cut into a grid of boxes (8 × 8 by default:
 * 8-pixel boxes on the simulator's 64×64 frames), each box's share of the map's total mass, and the boxes in the
 * frame's own pixel coordinates, so an operator can find the spot on the camera picture whatever the model's
 * map size. The share is of the raw map: on a normal frame every box holds about 1/64; a hot spot concentrates it.
 *
 * @example
 *   const [top] = topImageRegions(map, [64, 64], [64, 64]);  // { x0: 40, x1: 47, y0: 16, y1: 23, share: 0.31, … }
 */

export interface ImageRegion {
  /** Inclusive pixel bounds in the frame. */
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** The box's fraction of the map's total mass, 0..1. */
  share: number;
  /** The hottest map cell inside the box, in frame pixels (its centre). */
  peak: { x: number; y: number };
}

export const IMAGE_REGION_GRID = 8;

/** The `count` boxes with the most anomaly mass, largest first. `map` is row-major `mapSize`; `frameSize` is `[height, width]`. */
export function topImageRegions(
  map: Float32Array,
  [mapHeight, mapWidth]: readonly [number, number],
  [frameHeight, frameWidth]: readonly [number, number],
  count = 3,
  grid = IMAGE_REGION_GRID,
): ImageRegion[] {
  if (map.length !== mapHeight * mapWidth) throw new RangeError(`anomaly map has ${map.length} cells, ${mapHeight}×${mapWidth} expected`);
  const rows = Math.min(grid, mapHeight);
  const cols = Math.min(grid, mapWidth);
  const mass = new Float64Array(rows * cols);
  const peak = new Int32Array(rows * cols).fill(-1);
  let total = 0;
  for (let y = 0; y < mapHeight; y++) {
    const r = Math.floor((y * rows) / mapHeight);
    for (let x = 0; x < mapWidth; x++) {
      const c = Math.floor((x * cols) / mapWidth);
      const i = y * mapWidth + x;
      const v = Math.max(0, map[i]!);
      const box = r * cols + c;
      mass[box] = mass[box]! + v;
      total += v;
      if (peak[box] === -1 || map[i]! > map[peak[box]!]!) peak[box] = i;
    }
  }
  const order = Array.from(mass.keys()).sort((a, b) => mass[b]! - mass[a]! || a - b);
  const sy = frameHeight / mapHeight;
  const sx = frameWidth / mapWidth;
  return order.slice(0, count).map((box) => {
    const r = Math.floor(box / cols);
    const c = box % cols;
    // Map-cell bounds of the box, then frame pixels (inclusive).
    const my0 = Math.ceil((r * mapHeight) / rows);
    const my1 = Math.ceil(((r + 1) * mapHeight) / rows) - 1;
    const mx0 = Math.ceil((c * mapWidth) / cols);
    const mx1 = Math.ceil(((c + 1) * mapWidth) / cols) - 1;
    const p = peak[box]!;
    return {
      x0: Math.floor(mx0 * sx),
      x1: Math.ceil((mx1 + 1) * sx) - 1,
      y0: Math.floor(my0 * sy),
      y1: Math.ceil((my1 + 1) * sy) - 1,
      share: total > 0 ? mass[box]! / total : 0,
      peak: { x: Math.floor(((p % mapWidth) + 0.5) * sx), y: Math.floor((Math.floor(p / mapWidth) + 0.5) * sy) },
    };
  });
}

/** A region as a root-cause contribution name: `IMAGE[x=40..47,y=16..23]`, frame pixels, inclusive. */
export function imageRegionName(region: ImageRegion): string {
  return `IMAGE[x=${region.x0}..${region.x1},y=${region.y0}..${region.y1}]`;
}
