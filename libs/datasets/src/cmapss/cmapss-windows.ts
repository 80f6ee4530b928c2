/**
 * Sliding windows over each C-MAPSS engine, in the `[batch][steps][channels]` Float32Array layout of
 * `WindowBatch` (@vigil/ml), plus per-window metadata and the anomaly labels of the evaluation protocol
 * (docs/cmapss-protocol.md). Windows never cross engines. They are aligned to each engine's last cycle, so the
 * final window of every engine is always present (what a test engine's RUL refers to), and earlier windows step
 * back by `stride`.
 *
 * @example
 *   const { batch, meta, skippedUnits } = cmapssWindows(rows, (r) => normaliser.transformRow(r), { length: 30, stride: 1 });
 *   const labels = meta.map((m) => labelByRul(m.rul));   // 'normal' | 'anomalous' | 'unlabelled'
 *   const normalOnly = filterWindows(windows, (m) => labelByRul(m.rul) === 'normal');
 */
import { groupByUnit, type CmapssRow } from './cmapss-format';

export interface CmapssWindowMeta {
  unit: number;
  /** Cycle of the window's last step. */
  endCycle: number;
  /** RUL at the window's last step. */
  rul: number;
}

export interface CmapssWindows {
  /** Same shape as @vigil/ml's WindowBatch: row-major `[batch][steps][channels]`. */
  batch: { data: Float32Array; batch: number; steps: number; channels: number };
  meta: CmapssWindowMeta[];
  /** Engines with fewer cycles than `length`, which yield no window. */
  skippedUnits: number[];
}

export interface WindowOptions {
  length: number;
  stride?: number;
}

/**
 * Builds windows from rows; `toChannels` maps a row to its feature vector (e.g. the normaliser's transformRow)
 * and must return the same length for every row.
 */
export function cmapssWindows(rows: readonly CmapssRow[], toChannels: (row: CmapssRow) => ArrayLike<number>, options: WindowOptions): CmapssWindows {
  const { length } = options;
  const stride = options.stride ?? 1;
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`window length must be a positive integer, got ${length}`);
  if (!Number.isInteger(stride) || stride < 1) throw new RangeError(`stride must be a positive integer, got ${stride}`);

  const engines = groupByUnit(rows);
  const chunks: Float32Array[] = [];
  const meta: CmapssWindowMeta[] = [];
  const skippedUnits: number[] = [];
  let channels = -1;
  for (const [unit, engineRows] of engines) {
    if (engineRows.length < length) {
      skippedUnits.push(unit);
      continue;
    }
    const features = engineRows.map((row) => {
      const v = toChannels(row);
      if (channels < 0) channels = v.length;
      if (v.length !== channels) throw new RangeError(`row of unit ${unit} cycle ${row.cycle} has ${v.length} channels, expected ${channels}`);
      return v;
    });
    const ends: number[] = [];
    for (let end = engineRows.length - 1; end >= length - 1; end -= stride) ends.push(end);
    ends.reverse();
    for (const end of ends) {
      const window = new Float32Array(length * channels);
      for (let t = 0; t < length; t++) window.set(features[end - length + 1 + t]!, t * channels);
      chunks.push(window);
      const last = engineRows[end]!;
      meta.push({ unit, endCycle: last.cycle, rul: last.rul });
    }
  }
  const channelCount = Math.max(channels, 0);
  const data = new Float32Array(chunks.length * length * channelCount);
  chunks.forEach((chunk, i) => data.set(chunk, i * chunk.length));
  return { batch: { data, batch: chunks.length, steps: length, channels: channelCount }, meta, skippedUnits };
}

/** The windows whose metadata passes `keep`, in order (e.g. the normal-only training set). */
export function filterWindows(windows: CmapssWindows, keep: (meta: CmapssWindowMeta, index: number) => boolean): CmapssWindows {
  const { steps, channels } = windows.batch;
  const size = steps * channels;
  const kept = windows.meta.flatMap((meta, index) => (keep(meta, index) ? [index] : []));
  const data = new Float32Array(kept.length * size);
  kept.forEach((index, i) => data.set(windows.batch.data.subarray(index * size, (index + 1) * size), i * size));
  return { batch: { data, batch: kept.length, steps, channels }, meta: kept.map((i) => windows.meta[i]!), skippedUnits: windows.skippedUnits };
}

export type AnomalyLabel = 'normal' | 'anomalous' | 'unlabelled';

/** The C-MAPSS anomaly protocol's bounds; the defaults and the reasons are in docs/cmapss-protocol.md. */
export interface RulLabelProtocol {
  /** Anomalous when RUL ≤ this (the last K cycles before failure). Default 30. */
  anomalousWithin: number;
  /** Normal when RUL > this (early life, before degradation shows). Default 125. */
  normalAbove: number;
}

export const DEFAULT_RUL_PROTOCOL: Readonly<RulLabelProtocol> = { anomalousWithin: 30, normalAbove: 125 };

/** Label for a row or window by the RUL at its last step; the band between the bounds is left unlabelled. */
export function labelByRul(rul: number, protocol: RulLabelProtocol = DEFAULT_RUL_PROTOCOL): AnomalyLabel {
  if (!(protocol.anomalousWithin < protocol.normalAbove)) throw new RangeError('anomalousWithin must be below normalAbove');
  if (Number.isNaN(rul)) throw new RangeError('RUL is NaN: attach RUL with withTrainingRul/withTestRul first');
  if (rul <= protocol.anomalousWithin) return 'anomalous';
  if (rul > protocol.normalAbove) return 'normal';
  return 'unlabelled';
}
