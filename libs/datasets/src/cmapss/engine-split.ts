/**
 * Train/validation split by engine id, so no engine contributes windows to both sides (windows of one engine
 * overlap and are strongly correlated; splitting windows would leak). Deterministic for a given seed.
 *
 * @example
 *   const { train, validation } = splitUnits(unitsOf(rows), { validationFraction: 0.2, seed: 7 });
 *   const trainRows = rows.filter((r) => train.has(r.unit));
 */

export interface UnitSplit {
  train: Set<number>;
  validation: Set<number>;
}

export interface SplitOptions {
  /** Share of engines held out, rounded to the nearest engine count, at least one of each side. Default 0.2. */
  validationFraction?: number;
  seed?: number;
}

/** Distinct unit ids of the rows, ascending. */
export function unitsOf(rows: readonly { unit: number }[]): number[] {
  return [...new Set(rows.map((r) => r.unit))].sort((a, b) => a - b);
}

export function splitUnits(units: readonly number[], options: SplitOptions = {}): UnitSplit {
  const fraction = options.validationFraction ?? 0.2;
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`validationFraction must be in (0, 1), got ${fraction}`);
  const distinct = [...new Set(units)].sort((a, b) => a - b);
  if (distinct.length < 2) throw new RangeError('need at least two engines to split');
  const shuffled = shuffle(distinct, mulberry32(options.seed ?? 0));
  const holdOut = Math.min(distinct.length - 1, Math.max(1, Math.round(distinct.length * fraction)));
  return { validation: new Set(shuffled.slice(0, holdOut)), train: new Set(shuffled.slice(holdOut)) };
}

/** Small, well-known 32-bit PRNG; enough for a reproducible shuffle. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
