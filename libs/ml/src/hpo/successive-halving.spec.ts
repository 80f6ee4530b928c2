import { describe, expect, it } from 'vitest';
import { seededRandom } from '../training/seeded-random';
import { categorical, floatRange, integerRange, sampleParams } from './search-space';
import { successiveHalving } from './successive-halving';

describe('sampleParams', () => {
  it('stays inside each distribution and is reproducible', () => {
    const space = { a: categorical(['x', 'y']), b: integerRange(2, 5), c: floatRange(1e-4, 1e-1, { log: true }) };
    const draws = Array.from({ length: 500 }, (_, i) => sampleParams(space, seededRandom(i)));
    expect(draws.every((d) => ['x', 'y'].includes(d.a as string))).toBe(true);
    expect(new Set(draws.map((d) => d.b))).toEqual(new Set([2, 3, 4, 5]));
    expect(draws.every((d) => (d.c as number) >= 1e-4 && (d.c as number) <= 1e-1)).toBe(true);
    // Log-uniform: about half the draws fall below the geometric midpoint 10^-2.5.
    const below = draws.filter((d) => (d.c as number) < 10 ** -2.5).length / draws.length;
    expect(below).toBeGreaterThan(0.4);
    expect(below).toBeLessThan(0.6);
    expect(sampleParams(space, seededRandom(3))).toEqual(sampleParams(space, seededRandom(3)));
  });
});

describe('successiveHalving', () => {
  it('keeps the best 1/eta per rung, grows the budget and finds the optimum', () => {
    const calls: { trial: number; budget: number }[] = [];
    // Noise shrinks with budget, like validation loss of longer training runs.
    const result = successiveHalving({
      space: { x: floatRange(-3, 3) },
      trials: 9,
      eta: 3,
      minBudget: 1,
      maxBudget: 9,
      seed: 11,
      objective: (p, budget, trial) => {
        calls.push({ trial, budget });
        return ((p.x as number) - 1) ** 2 + 0.01 / budget;
      },
    });
    expect(result.history.map((h) => [h.results.length, h.results[0]!.budget])).toEqual([
      [9, 1],
      [3, 3],
      [1, 9],
    ]);
    expect(calls).toHaveLength(13);
    const all = result.history[0]!.results.map((r) => ((r.params.x as number) - 1) ** 2);
    expect(((result.best.params.x as number) - 1) ** 2).toBe(Math.min(...all));
  });

  it('ranks diverged trials last', () => {
    const result = successiveHalving({
      space: { x: categorical([1, 2]) },
      trials: 4,
      eta: 2,
      minBudget: 1,
      maxBudget: 1,
      seed: 1,
      objective: (p) => (p.x === 1 ? Number.NaN : 5),
    });
    expect(result.best.value).toBe(5);
  });
});
