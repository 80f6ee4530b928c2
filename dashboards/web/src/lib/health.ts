/**
 * The overview's fleet grid: one cell per device × modality, from the device's latest window. A modality the
 * window reports missing is a sensor fault (its data stopped while the device's others still arrive); a device
 * whose last window ended longer ago than `offlineAfterMs` is offline in every column.
 */
import type { LiveModality, LiveResult } from '@vigil/contracts/realtime';

export type CellState = 'ok' | 'anomalous' | 'sensor-fault' | 'offline' | 'no-data';
export const GRID_MODALITIES: readonly LiveModality[] = ['SENSOR', 'AUDIO', 'IMAGE', 'FUSED'];

export interface HealthRow {
  deviceId: string;
  cells: CellState[];
}

export function cellState(result: LiveResult | undefined, modality: LiveModality, nowMs: number, offlineAfterMs: number): CellState {
  if (!result) return 'no-data';
  if (nowMs - result.windowEndMs > offlineAfterMs) return 'offline';
  if (result.missingModalities.includes(modality)) return 'sensor-fault';
  if (modality === 'FUSED') return result.isAnomaly ? 'anomalous' : 'ok';
  const score = result.modalities.find((m) => m.modality === modality);
  if (!score) return 'no-data';
  return score.isAnomaly ? 'anomalous' : 'ok';
}

/** Rows sorted by device id, so the grid does not reshuffle as results arrive. */
export function healthRows(latest: ReadonlyMap<string, LiveResult>, nowMs: number, offlineAfterMs: number): HealthRow[] {
  return [...latest.keys()].sort().map((deviceId) => ({
    deviceId,
    cells: GRID_MODALITIES.map((m) => cellState(latest.get(deviceId), m, nowMs, offlineAfterMs)),
  }));
}

export function countStates(rows: readonly HealthRow[]): Record<CellState, number> {
  const counts: Record<CellState, number> = { ok: 0, anomalous: 0, 'sensor-fault': 0, offline: 0, 'no-data': 0 };
  for (const row of rows) for (const c of row.cells) counts[c] += 1;
  return counts;
}
