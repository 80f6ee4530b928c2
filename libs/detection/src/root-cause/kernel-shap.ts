/**
 * KernelSHAP (Lundberg & Lee, NeurIPS 2017): Shapley values of a set function v over M players, estimated by
 * the Shapley-kernel-weighted linear regression of v(S) on coalition indicators, with the efficiency
 * constraint Σφ = v(all) − v(∅) built in. When the budget covers all 2^M − 2 proper coalitions the result
 * is the exact Shapley value; otherwise coalition sizes are enumerated from the outside in (the sizes with the
 * most kernel weight: 1 and M−1, then 2 and M−2, …) while they fit, and the rest are sampled in complementary
 * pairs with a seeded generator, so an explanation is reproducible.
 *
 * `value` is called with batches of coalitions (row-major 0/1 masks), so callers can evaluate a model on all
 * of them in a few big batches.
 *
 * @example
 *   const { baseValue, values } = kernelShap({ players: 3, value: (masks, count) => …one number per mask… });
 */
import { mulberry32 } from '@vigil/features';

export interface KernelShapProblem {
  players: number;
  /** v(S) for `count` coalitions given as row-major masks `[count][players]` (1 = player present). */
  value(masks: Uint8Array, count: number): ArrayLike<number>;
}

export interface KernelShapOptions {
  /** Most coalitions to evaluate besides ∅ and the full set (default 2·M + 2048). */
  maxCoalitions?: number;
  seed?: number;
}

export interface ShapleyValues {
  /** v(∅): the expected value with no player present. */
  baseValue: number;
  /** v(all players). baseValue + Σ values = fullValue. */
  fullValue: number;
  values: Float64Array;
  /** Whether all coalitions were evaluated (exact Shapley values). */
  exact: boolean;
  coalitionsEvaluated: number;
}

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}

class CoalitionSet {
  readonly masks: number[][] = [];
  readonly weights: number[] = [];
  private readonly index = new Map<string, number>();

  add(mask: number[], weight: number): void {
    const key = mask.join('');
    const existing = this.index.get(key);
    if (existing !== undefined) {
      this.weights[existing] = this.weights[existing]! + weight;
      return;
    }
    this.index.set(key, this.masks.length);
    this.masks.push(mask);
    this.weights.push(weight);
  }
}

function enumerateSize(players: number, size: number, weight: number, into: CoalitionSet): void {
  const chosen = Array.from({ length: size }, (_, i) => i);
  for (;;) {
    const mask = new Array<number>(players).fill(0);
    for (const i of chosen) mask[i] = 1;
    into.add(mask, weight);
    let k = size - 1;
    while (k >= 0 && chosen[k] === players - size + k) k--;
    if (k < 0) return;
    chosen[k]!++;
    for (let j = k + 1; j < size; j++) chosen[j] = chosen[j - 1]! + 1;
  }
}

function chooseCoalitions(players: number, budget: number, seed: number): { set: CoalitionSet; exact: boolean } {
  const set = new CoalitionSet();
  // Kernel weight of all coalitions of size s together: (M − 1)/(s(M − s)); sizes s and M − s pair up.
  const sizeWeight = (s: number) => (players - 1) / (s * (players - s));
  const half = Math.floor(players / 2);
  let remaining = budget;
  let firstSampledSize = half + 1;
  for (let s = 1; s <= half; s++) {
    const paired = s !== players - s;
    const count = binomial(players, s) * (paired ? 2 : 1);
    if (count > remaining) {
      firstSampledSize = s;
      break;
    }
    enumerateSize(players, s, sizeWeight(s) / binomial(players, s), set);
    if (paired) enumerateSize(players, players - s, sizeWeight(s) / binomial(players, s), set);
    remaining -= count;
  }
  if (firstSampledSize > half) return { set, exact: true };
  // Sample the sizes left, in complementary pairs, each size drawn in proportion to its kernel weight.
  const sizes: number[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (let s = firstSampledSize; s <= half; s++) {
    total += sizeWeight(s) * (s !== players - s ? 2 : 1);
    sizes.push(s);
    cumulative.push(total);
  }
  const uniform = mulberry32(seed);
  const pairs = Math.max(1, Math.floor(remaining / 2));
  const pairWeight = total / (2 * pairs);
  for (let p = 0; p < pairs; p++) {
    const r = uniform() * total;
    const size = sizes[cumulative.findIndex((c) => r < c)] ?? sizes[sizes.length - 1]!;
    // Random subset of that size (partial Fisher-Yates).
    const order = Array.from({ length: players }, (_, i) => i);
    for (let i = 0; i < size; i++) {
      const j = i + Math.floor(uniform() * (players - i));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const mask = new Array<number>(players).fill(0);
    for (let i = 0; i < size; i++) mask[order[i]!] = 1;
    set.add(mask, pairWeight);
    set.add(
      mask.map((v) => 1 - v),
      pairWeight,
    );
  }
  return { set, exact: false };
}

/** Solves the symmetric positive (semi-)definite system A x = b in place (Cholesky with a tiny ridge). */
function solveSymmetric(a: Float64Array, b: Float64Array, n: number): Float64Array {
  let trace = 0;
  for (let i = 0; i < n; i++) trace += a[i * n + i]!;
  const ridge = 1e-12 * (trace / Math.max(n, 1) || 1);
  for (let i = 0; i < n; i++) a[i * n + i] = a[i * n + i]! + ridge;
  for (let j = 0; j < n; j++) {
    let diagonal = a[j * n + j]!;
    for (let k = 0; k < j; k++) diagonal -= a[j * n + k]! * a[j * n + k]!;
    const root = Math.sqrt(Math.max(diagonal, 1e-300));
    a[j * n + j] = root;
    for (let i = j + 1; i < n; i++) {
      let sum = a[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= a[i * n + k]! * a[j * n + k]!;
      a[i * n + j] = sum / root;
    }
  }
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) x[i] = x[i]! - a[i * n + k]! * x[k]!;
    x[i] = x[i]! / a[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) x[i] = x[i]! - a[k * n + i]! * x[k]!;
    x[i] = x[i]! / a[i * n + i]!;
  }
  return x;
}

export function kernelShap(problem: KernelShapProblem, options: KernelShapOptions = {}): ShapleyValues {
  const plan = planKernelShap(problem.players, options);
  const ends = problem.value(plan.ends, 2);
  return solveKernelShap(plan, ends, plan.count > 0 ? problem.value(plan.masks, plan.count) : []);
}

/** `value` may answer later (a model served off the main thread): ∅, the full set and the coalitions in one call. */
export interface AsyncKernelShapProblem {
  players: number;
  value(masks: Uint8Array, count: number): ArrayLike<number> | Promise<ArrayLike<number>>;
}

/** The same estimate as `kernelShap` (same coalitions for a seed), with one awaited `value` call. */
export async function kernelShapAsync(problem: AsyncKernelShapProblem, options: KernelShapOptions = {}): Promise<ShapleyValues> {
  const plan = planKernelShap(problem.players, options);
  const all = new Uint8Array(plan.ends.length + plan.masks.length);
  all.set(plan.ends);
  all.set(plan.masks, plan.ends.length);
  const values = await problem.value(all, plan.count + 2);
  return solveKernelShap(plan, [values[0]!, values[1]!], Array.prototype.slice.call(values, 2) as number[]);
}

/** ∅ and the full set (`ends`, 2 rows), and the coalitions to regress on with their kernel weights. */
interface KernelShapPlan {
  players: number;
  ends: Uint8Array;
  masks: Uint8Array;
  count: number;
  weights: readonly number[];
  exact: boolean;
}

function planKernelShap(m: number, options: KernelShapOptions): KernelShapPlan {
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`players must be a positive integer, got ${m}`);
  const ends = new Uint8Array(2 * m).fill(1, m);
  if (m === 1) return { players: m, ends, masks: new Uint8Array(0), count: 0, weights: [], exact: true };
  const budget = options.maxCoalitions ?? 2 * m + 2048;
  const { set, exact } = chooseCoalitions(m, Math.min(budget, 2 ** m - 2), options.seed ?? 0);
  const count = set.masks.length;
  const masks = new Uint8Array(count * m);
  set.masks.forEach((mask, row) => masks.set(mask, row * m));
  return { players: m, ends, masks, count, weights: set.weights, exact };
}

function solveKernelShap(plan: KernelShapPlan, ends: ArrayLike<number>, values: ArrayLike<number>): ShapleyValues {
  const { players: m, masks, count } = plan;
  const base = ends[0]!;
  const full = ends[1]!;
  if (m === 1) return { baseValue: base, fullValue: full, values: Float64Array.of(full - base), exact: true, coalitionsEvaluated: 2 };

  // Eliminate the last player with the efficiency constraint: φ_M = Δ − Σ_{i<M} φ_i.
  const delta = full - base;
  const n = m - 1;
  const normal = new Float64Array(n * n);
  const rhs = new Float64Array(n);
  const row = new Float64Array(n);
  for (let r = 0; r < count; r++) {
    const last = masks[r * m + n]!;
    for (let i = 0; i < n; i++) row[i] = masks[r * m + i]! - last;
    const target = values[r]! - base - last * delta;
    const weight = plan.weights[r]!;
    for (let i = 0; i < n; i++) {
      if (row[i] === 0) continue;
      rhs[i] = rhs[i]! + weight * row[i]! * target;
      for (let j = 0; j < n; j++) normal[i * n + j] = normal[i * n + j]! + weight * row[i]! * row[j]!;
    }
  }
  const solved = solveSymmetric(normal, rhs, n);
  const shapley = new Float64Array(m);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    shapley[i] = solved[i]!;
    sum += solved[i]!;
  }
  shapley[n] = delta - sum;
  return { baseValue: base, fullValue: full, values: shapley, exact: plan.exact, coalitionsEvaluated: count + 2 };
}
