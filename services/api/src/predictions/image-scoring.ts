/**
 * An image window's verdict from a vision model's anomaly map: the score against the model's calibrated
 * threshold, and where in the frame the anomaly concentrates (the root cause an operator can act on).
 */
import type { RootCauseSummary } from '@vigil/contracts';

/** Row and column of the hottest cell of a row-major `[height][width]` map, and the share of the map's mass there. */
export function hottestRegion(map: Float32Array, [height, width]: readonly [number, number]): { row: number; col: number; share: number } {
  let best = 0;
  let total = 0;
  for (let i = 0; i < map.length; i++) {
    total += Math.max(0, map[i]!);
    if (map[i]! > map[best]!) best = i;
  }
  const row = Math.floor(best / width);
  const col = best % width;
  return { row: Math.min(row, height - 1), col, share: total > 0 ? Math.max(0, map[best]!) / total : 0 };
}

export function explainImage(map: Float32Array, mapSize: readonly [number, number]): RootCauseSummary {
  const { row, col } = hottestRegion(map, mapSize);
  const vertical = row < mapSize[0] / 3 ? 'top' : row < (2 * mapSize[0]) / 3 ? 'middle' : 'bottom';
  const horizontal = col < mapSize[1] / 3 ? 'left' : col < (2 * mapSize[1]) / 3 ? 'centre' : 'right';
  return {
    summary: `The image anomaly peaks in the ${vertical} ${horizontal} of the frame (cell ${row},${col} of ${mapSize[0]}×${mapSize[1]}).`,
    topChannels: [],
    topTimeSteps: [],
    topLatents: [],
    modalityShares: { IMAGE: 1 },
  };
}
