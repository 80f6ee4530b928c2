/**
 * Maximum mean discrepancy between two samples with a Gaussian (RBF) kernel whose bandwidth comes from the
 * median heuristic, and two ways to turn it into a test:
 *  - `mmdPermutationTest`: the unbiased quadratic-time MMD²_u with a permutation p-value (exact level α for any
 *    sample size; O((n+m)²) per permutation over one precomputed kernel matrix). Used for windows up to
 *    `DEFAULT_MAX_PERMUTATION_POINTS` pooled points.
 *  - `linearTimeMmd`: Gretton et al. (2012, §6) linear-time MMD²_l over disjoint pairs with its Gaussian null,
 *    O(n) time and memory; the choice for larger windows, at the cost of power.
 * `mmdTest` picks between them by pooled size.
 *
 * Kernel: k(x, y) = exp(−‖x − y‖² / (2σ²)) with σ² = the median of the pooled pairwise squared distances.
 *
 * @example
 *   const { statistic, pValue } = mmdTest(referencePoints, currentPoints, { seed: 7 });
 */
import { mulberry32 } from '@vigil/features';
import { assertSameDim, median, normalSurvival, type Points } from './points';

export const DEFAULT_PERMUTATIONS = 200;
export const DEFAULT_MAX_PERMUTATION_POINTS = 1000;
/** Pairs used to estimate the median-heuristic bandwidth for the linear-time test (keeps it O(n)). */
const LINEAR_BANDWIDTH_SUBSAMPLE = 256;

export interface MmdResult {
  /** MMD² estimate (unbiased: can be slightly negative when the samples agree). */
  statistic: number;
  pValue: number;
  /** σ² of the kernel. */
  bandwidthSquared: number;
  method: 'permutation' | 'linear';
}

export interface MmdTestOptions {
  permutations?: number;
  /** Seed of the permutation stream; the same seed gives the same p-value. */
  seed?: number;
  /** Fix σ² instead of the median heuristic (e.g. the reference window's own). */
  bandwidthSquared?: number;
  /** Pooled sizes above this use the linear-time test. */
  maxPermutationPoints?: number;
}

export function mmdTest(x: Points, y: Points, options: MmdTestOptions = {}): MmdResult {
  const maxPoints = options.maxPermutationPoints ?? DEFAULT_MAX_PERMUTATION_POINTS;
  return x.count + y.count <= maxPoints ? mmdPermutationTest(x, y, options) : linearTimeMmd(x, y, options);
}

function squaredDistance(a: ArrayLike<number>, ai: number, b: ArrayLike<number>, bi: number, dim: number): number {
  let sum = 0;
  for (let k = 0; k < dim; k++) {
    const d = a[ai + k]! - b[bi + k]!;
    sum += d * d;
  }
  return sum;
}

/** Pooled rows (x first, then y) as one Float64Array, so the kernel matrix indexes one array. */
function pool(x: Points, y: Points): Float64Array {
  const pooled = new Float64Array((x.count + y.count) * x.dim);
  for (let i = 0; i < x.count * x.dim; i++) pooled[i] = x.values[i]!;
  const offset = x.count * x.dim;
  for (let i = 0; i < y.count * y.dim; i++) pooled[offset + i] = y.values[i]!;
  return pooled;
}

/** Median of the pairwise squared distances among the pooled points (i < j). */
export function medianHeuristic(x: Points, y: Points): number {
  const pooled = pool(x, y);
  const total = x.count + y.count;
  const distances = new Float64Array((total * (total - 1)) / 2);
  let next = 0;
  for (let i = 0; i < total; i++) for (let j = i + 1; j < total; j++) distances[next++] = squaredDistance(pooled, i * x.dim, pooled, j * x.dim, x.dim);
  return positiveBandwidth(median(distances));
}

function positiveBandwidth(value: number): number {
  // All points equal: any σ gives k ≡ 1 and MMD 0; 1 avoids dividing by zero.
  return value > 0 ? value : 1;
}

/** Sum of K over ordered pairs i ≠ j of `members` (K symmetric, so twice the upper triangle). */
function withinSum(kernel: Float64Array, total: number, members: Int32Array, from: number, to: number): number {
  let sum = 0;
  for (let a = from; a < to; a++) {
    const row = members[a]! * total;
    for (let b = a + 1; b < to; b++) sum += kernel[row + members[b]!]!;
  }
  return 2 * sum;
}

/** MMD²_u from the two within-sample sums, given the sum of K over all off-diagonal ordered pairs. */
function unbiasedMmd(sumXX: number, sumYY: number, sumOffDiagonal: number, n: number, m: number): number {
  const sumXY = (sumOffDiagonal - sumXX - sumYY) / 2;
  return sumXX / (n * (n - 1)) + sumYY / (m * (m - 1)) - (2 * sumXY) / (n * m);
}

export function mmdPermutationTest(x: Points, y: Points, options: MmdTestOptions = {}): MmdResult {
  assertSameDim(x, y);
  const n = x.count;
  const m = y.count;
  const total = n + m;
  const bandwidthSquared = options.bandwidthSquared ?? medianHeuristic(x, y);
  const pooled = pool(x, y);
  const kernel = new Float64Array(total * total);
  let sumOffDiagonal = 0;
  for (let i = 0; i < total; i++) {
    for (let j = i + 1; j < total; j++) {
      const k = Math.exp(-squaredDistance(pooled, i * x.dim, pooled, j * x.dim, x.dim) / (2 * bandwidthSquared));
      kernel[i * total + j] = k;
      kernel[j * total + i] = k;
      sumOffDiagonal += 2 * k;
    }
  }
  const members = new Int32Array(total);
  for (let i = 0; i < total; i++) members[i] = i;
  const statistic = unbiasedMmd(withinSum(kernel, total, members, 0, n), withinSum(kernel, total, members, n, total), sumOffDiagonal, n, m);

  const permutations = options.permutations ?? DEFAULT_PERMUTATIONS;
  const random = mulberry32(options.seed ?? 0);
  let atLeastAsExtreme = 0;
  for (let p = 0; p < permutations; p++) {
    for (let i = total - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const swap = members[i]!;
      members[i] = members[j]!;
      members[j] = swap;
    }
    const permuted = unbiasedMmd(withinSum(kernel, total, members, 0, n), withinSum(kernel, total, members, n, total), sumOffDiagonal, n, m);
    if (permuted >= statistic) atLeastAsExtreme++;
  }
  // The observed labelling counts as one of the permutations: the p-value is never 0 and the test is exact.
  return { statistic, pValue: (1 + atLeastAsExtreme) / (1 + permutations), bandwidthSquared, method: 'permutation' };
}

function rbf(a: ArrayLike<number>, ai: number, b: ArrayLike<number>, bi: number, dim: number, twoSigmaSquared: number): number {
  return Math.exp(-squaredDistance(a, ai, b, bi, dim) / twoSigmaSquared);
}

/** Median heuristic on the first points of each sample only, so the linear test stays linear. */
function subsampledBandwidth(x: Points, y: Points): number {
  const take = (p: Points): Points => {
    const count = Math.min(p.count, LINEAR_BANDWIDTH_SUBSAMPLE / 2);
    return { values: Array.prototype.slice.call(p.values, 0, count * p.dim) as number[], count, dim: p.dim };
  };
  return medianHeuristic(take(x), take(y));
}

export function linearTimeMmd(x: Points, y: Points, options: MmdTestOptions = {}): MmdResult {
  assertSameDim(x, y);
  const dim = x.dim;
  const pairs = Math.floor(Math.min(x.count, y.count) / 2);
  const bandwidthSquared = options.bandwidthSquared ?? subsampledBandwidth(x, y);
  const twoSigmaSquared = 2 * bandwidthSquared;
  const xs = x.values;
  const ys = y.values;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < pairs; i++) {
    const a = 2 * i * dim;
    const b = (2 * i + 1) * dim;
    const h =
      rbf(xs, a, xs, b, dim, twoSigmaSquared) +
      rbf(ys, a, ys, b, dim, twoSigmaSquared) -
      rbf(xs, a, ys, b, dim, twoSigmaSquared) -
      rbf(xs, b, ys, a, dim, twoSigmaSquared);
    sum += h;
    sumSquares += h * h;
  }
  const statistic = sum / pairs;
  const variance = (sumSquares / pairs - statistic * statistic) / pairs;
  const pValue = variance > 0 ? normalSurvival(statistic / Math.sqrt(variance)) : statistic > 0 ? 0 : 1;
  return { statistic, pValue, bandwidthSquared, method: 'linear' };
}
