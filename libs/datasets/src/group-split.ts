/**
 * Train/validation split by group (an engine, a machine recording), never by sample: windows of one group
 * overlap or share a recording, so splitting them would leak. Deterministic for a given seed (seeded shuffle of
 * the sorted distinct keys).
 *
 * @example
 *   const { train, validation } = splitByGroup(clips, (c) => c.groupKey, { validationFraction: 0.25, seed: 1 });
 */
import { seededRandom } from '@vigil/features';

export interface GroupSplitOptions {
  /** Share of groups held out, rounded to the nearest count, at least one on each side. Default 0.2. */
  validationFraction?: number;
  seed?: number;
}

export interface KeySplit<K> {
  train: Set<K>;
  validation: Set<K>;
}

/** Splits distinct keys into train and validation sets. */
export function splitKeys<K extends string | number>(keys: readonly K[], options: GroupSplitOptions = {}): KeySplit<K> {
  const fraction = options.validationFraction ?? 0.2;
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`validationFraction must be in (0, 1), got ${fraction}`);
  const distinct = [...new Set(keys)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (distinct.length < 2) throw new RangeError('need at least two groups to split');
  const random = seededRandom(options.seed ?? 0);
  for (let i = distinct.length - 1; i > 0; i--) {
    const j = Math.floor(random.uniform() * (i + 1));
    [distinct[i], distinct[j]] = [distinct[j]!, distinct[i]!];
  }
  const holdOut = Math.min(distinct.length - 1, Math.max(1, Math.round(distinct.length * fraction)));
  return { validation: new Set(distinct.slice(0, holdOut)), train: new Set(distinct.slice(holdOut)) };
}

/** Items split so that all items of one group land on the same side. */
export function splitByGroup<T, K extends string | number>(
  items: readonly T[],
  groupOf: (item: T) => K,
  options: GroupSplitOptions = {},
): { train: T[]; validation: T[] } {
  const keys = splitKeys(items.map(groupOf), options);
  return { train: items.filter((item) => keys.train.has(groupOf(item))), validation: items.filter((item) => keys.validation.has(groupOf(item))) };
}
