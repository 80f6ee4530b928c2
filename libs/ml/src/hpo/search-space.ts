/**
 * Hyper-parameter search spaces in the style of Optuna's `suggest_*`: categorical choices, integer and float
 * ranges, optionally log-uniform. Sampling is seeded so a search can be replayed.
 *
 * @example
 *   const space = { latentDim: categorical([4, 8, 16]), learningRate: floatRange(5e-4, 5e-3, { log: true }) };
 *   const params = sampleParams(space, seededRandom(1));   // { latentDim: 8, learningRate: 0.0013 }
 */
import type { Random } from '../training/seeded-random';

export type Distribution =
  | { kind: 'choice'; values: readonly (string | number | boolean)[] }
  | { kind: 'int'; low: number; high: number; log: boolean }
  | { kind: 'float'; low: number; high: number; log: boolean };

export type SearchSpace = Record<string, Distribution>;
export type Params = Record<string, string | number | boolean>;

export const categorical = (values: readonly (string | number | boolean)[]): Distribution => {
  if (values.length === 0) throw new RangeError('choice needs at least one value');
  return { kind: 'choice', values };
};

export const integerRange = (low: number, high: number, { log = false } = {}): Distribution => {
  if (!(Number.isInteger(low) && Number.isInteger(high) && low <= high)) throw new RangeError(`int range [${low}, ${high}] is invalid`);
  if (log && low <= 0) throw new RangeError('a log range needs low > 0');
  return { kind: 'int', low, high, log };
};

export const floatRange = (low: number, high: number, { log = false } = {}): Distribution => {
  if (!(low <= high)) throw new RangeError(`float range [${low}, ${high}] is invalid`);
  if (log && low <= 0) throw new RangeError('a log range needs low > 0');
  return { kind: 'float', low, high, log };
};

function sampleOne(d: Distribution, random: Random): string | number | boolean {
  switch (d.kind) {
    case 'choice':
      return d.values[Math.floor(random() * d.values.length)]!;
    case 'float':
      return d.log ? Math.exp(Math.log(d.low) + random() * (Math.log(d.high) - Math.log(d.low))) : d.low + random() * (d.high - d.low);
    case 'int': {
      const u = d.log ? Math.exp(Math.log(d.low) + random() * (Math.log(d.high + 1) - Math.log(d.low))) : d.low + random() * (d.high + 1 - d.low);
      return Math.min(d.high, Math.floor(u));
    }
  }
}

export function sampleParams(space: SearchSpace, random: Random): Params {
  return Object.fromEntries(Object.entries(space).map(([name, d]) => [name, sampleOne(d, random)]));
}
