/**
 * Train/validation split by engine id, so no engine contributes windows to both sides (windows of one engine
 * overlap and are strongly correlated; splitting windows would leak). Deterministic for a given seed.
 *
 * @example
 *   const { train, validation } = splitUnits(unitsOf(rows), { validationFraction: 0.2, seed: 7 });
 *   const trainRows = rows.filter((r) => train.has(r.unit));
 */
import { splitKeys, type GroupSplitOptions, type KeySplit } from '../group-split';

export type UnitSplit = KeySplit<number>;
export type SplitOptions = GroupSplitOptions;

/** Distinct unit ids of the rows, ascending. */
export function unitsOf(rows: readonly { unit: number }[]): number[] {
  return [...new Set(rows.map((r) => r.unit))].sort((a, b) => a - b);
}

/** splitKeys over engine ids: at least one engine on each side. */
export function splitUnits(units: readonly number[], options: SplitOptions = {}): UnitSplit {
  return splitKeys(units, options);
}
