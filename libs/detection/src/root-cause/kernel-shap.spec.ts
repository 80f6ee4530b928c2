import { describe, expect, it } from 'vitest';
import { kernelShap, kernelShapAsync, type KernelShapProblem } from './kernel-shap';

/** Exact Shapley values by the subset formula φ_i = Σ_S |S|!(M−|S|−1)!/M! (v(S∪i) − v(S)). */
function exactShapley(players: number, v: (mask: number) => number): number[] {
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const popcount = (n: number) =>
    n
      .toString(2)
      .split('')
      .filter((b) => b === '1').length;
  const result = new Array<number>(players).fill(0);
  for (let i = 0; i < players; i++) {
    for (let mask = 0; mask < 1 << players; mask++) {
      if (mask & (1 << i)) continue;
      const s = popcount(mask);
      result[i]! += ((factorial(s) * factorial(players - s - 1)) / factorial(players)) * (v(mask | (1 << i)) - v(mask));
    }
  }
  return result;
}

/** A set function with interactions: weights, a pairwise product and a max over a group. */
function gameOf(players: number): { v: (mask: number) => number; problem: KernelShapProblem } {
  const weights = Array.from({ length: players }, (_, i) => Math.sin(i + 1) * 2);
  const v = (mask: number) => {
    let value = 0;
    for (let i = 0; i < players; i++) if (mask & (1 << i)) value += weights[i]!;
    if (mask & 1 && mask & 2) value += 1.5;
    value += Math.max(mask & 4 ? 0.7 : 0, mask & 8 ? 1.1 : 0);
    return value * value * 0.1 + value;
  };
  const problem: KernelShapProblem = {
    players,
    value: (masks, count) =>
      Array.from({ length: count }, (_, r) => {
        let mask = 0;
        for (let i = 0; i < players; i++) if (masks[r * players + i]) mask |= 1 << i;
        return v(mask);
      }),
  };
  return { v, problem };
}

describe('kernelShap', () => {
  it('equals the exact Shapley values when all coalitions fit the budget', () => {
    const { v, problem } = gameOf(6);
    const shap = kernelShap(problem);
    expect(shap.exact).toBe(true);
    expect(shap.coalitionsEvaluated).toBe(64);
    exactShapley(6, v).forEach((phi, i) => expect(shap.values[i]).toBeCloseTo(phi, 9));
  });

  it('approximates them from a sampled budget, and is reproducible for a seed', () => {
    const { v, problem } = gameOf(11);
    const exact = exactShapley(11, v);
    const shap = kernelShap(problem, { maxCoalitions: 400, seed: 3 });
    expect(shap.exact).toBe(false);
    expect(shap.coalitionsEvaluated).toBeLessThanOrEqual(402);
    const worst = Math.max(...exact.map((phi, i) => Math.abs(shap.values[i]! - phi)));
    const spread = Math.max(...exact) - Math.min(...exact);
    expect(worst).toBeLessThan(0.05 * spread);
    expect(kernelShap(problem, { maxCoalitions: 400, seed: 3 }).values).toEqual(shap.values);
  });

  it('is efficient: base value plus the Shapley values gives the full value', () => {
    const { v, problem } = gameOf(9);
    const shap = kernelShap(problem, { maxCoalitions: 100 });
    expect(shap.baseValue).toBeCloseTo(v(0), 12);
    expect(shap.fullValue).toBeCloseTo(v((1 << 9) - 1), 12);
    expect(shap.baseValue + shap.values.reduce((a, b) => a + b, 0)).toBeCloseTo(shap.fullValue, 9);
  });

  it('async: the same estimate for a seed, from one value call covering ∅, the full set and the coalitions', async () => {
    const { problem } = gameOf(11);
    const calls: number[] = [];
    const shap = await kernelShapAsync(
      {
        players: 11,
        value: async (masks, count) => {
          calls.push(count);
          return problem.value(masks, count);
        },
      },
      { maxCoalitions: 400, seed: 3 },
    );
    const sync = kernelShap(problem, { maxCoalitions: 400, seed: 3 });
    expect(calls).toEqual([sync.coalitionsEvaluated]);
    expect(shap.values).toEqual(sync.values);
    expect([shap.baseValue, shap.fullValue, shap.exact]).toEqual([sync.baseValue, sync.fullValue, sync.exact]);
    const lone = await kernelShapAsync({ players: 1, value: (masks, count) => Array.from({ length: count }, (_, r) => (masks[r] ? 5 : 2)) });
    expect(Array.from(lone.values)).toEqual([3]);
  });

  it('gives a lone player the whole difference', () => {
    const shap = kernelShap({ players: 1, value: (masks, count) => Array.from({ length: count }, (_, r) => (masks[r] ? 5 : 2)) });
    expect(Array.from(shap.values)).toEqual([3]);
  });
});
