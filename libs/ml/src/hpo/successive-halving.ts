/**
 * Random search with successive halving (Jamieson & Talwalkar 2016; Optuna's SuccessiveHalvingPruner is the
 * reference): sample `trials` configurations, give each the minimum budget (epochs), keep the best 1/η, multiply
 * the budget by η, repeat until one configuration is left or the maximum budget is reached. Every rung trains
 * from scratch at its budget (no checkpoint resume), which keeps `objective` a pure function.
 *
 * @example
 *   const result = successiveHalving({ space, trials: 9, eta: 3, minBudget: 3, maxBudget: 27, seed: 1,
 *     objective: (params, epochs) => validationLoss(params, epochs) });
 *   result.best.params;
 */
import { seededRandom } from '../training/seeded-random';
import { type Params, sampleParams, type SearchSpace } from './search-space';

export interface TrialResult {
  trial: number;
  params: Params;
  budget: number;
  /** Lower is better; NaN/∞ (a diverged run) ranks last. */
  value: number;
}

export interface SuccessiveHalvingOptions {
  space: SearchSpace;
  trials: number;
  eta: number;
  minBudget: number;
  maxBudget: number;
  seed: number;
  objective: (params: Params, budget: number, trial: number) => number;
  onResult?: (result: TrialResult, rung: number) => void;
}

export interface SearchResult {
  best: TrialResult;
  /** Every evaluation, rung by rung. */
  history: { rung: number; results: TrialResult[] }[];
}

export function successiveHalving(options: SuccessiveHalvingOptions): SearchResult {
  const { trials, eta, minBudget, maxBudget } = options;
  if (!(Number.isInteger(trials) && trials >= 1)) throw new RangeError(`trials must be a positive integer, got ${trials}`);
  if (!(eta >= 2)) throw new RangeError(`eta must be ≥ 2, got ${eta}`);
  if (!(minBudget >= 1 && maxBudget >= minBudget)) throw new RangeError(`budgets must satisfy 1 ≤ min ≤ max, got ${minBudget}, ${maxBudget}`);
  const random = seededRandom(options.seed);
  let survivors = Array.from({ length: trials }, (_, trial) => ({ trial, params: sampleParams(options.space, random) }));
  const history: SearchResult['history'] = [];
  let budget = minBudget;
  for (let rung = 0; ; rung++) {
    const results = survivors.map(({ trial, params }) => {
      const value = options.objective(params, budget, trial);
      const result = { trial, params, budget, value: Number.isFinite(value) ? value : Number.POSITIVE_INFINITY };
      options.onResult?.(result, rung);
      return result;
    });
    results.sort((a, b) => a.value - b.value);
    history.push({ rung, results });
    if (results.length === 1 || budget >= maxBudget) return { best: results[0]!, history };
    survivors = results.slice(0, Math.max(1, Math.floor(results.length / eta)));
    budget = Math.min(maxBudget, Math.round(budget * eta));
  }
}
