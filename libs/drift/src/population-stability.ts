/**
 * Population stability index of a current sample against a reference: bins at the reference's quantiles
 * (deciles by default, numpy's linear interpolation), PSI = Σ (cᵢ − rᵢ) ln(cᵢ / rᵢ) over bin shares, with each
 * share floored at `epsilon` so an empty bin does not make it infinite. Rules of thumb: < 0.1 stable,
 * 0.1–0.25 moderate, > 0.25 a shift worth acting on.
 *
 * @example
 *   populationStabilityIndex(referenceScores, currentScores); // e.g. 0.03
 */
import { DriftInputError } from './points';

export const DEFAULT_PSI_BINS = 10;
export const DEFAULT_PSI_EPSILON = 1e-4;

export interface PsiOptions {
  bins?: number;
  epsilon?: number;
}

/** The q-quantile of sorted values with linear interpolation (numpy's default). */
function quantile(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (position - low) * (sorted[high]! - sorted[low]!);
}

/** Bin index = the number of inner edges strictly below the value (numpy searchsorted, side 'left'). */
function binShares(values: ArrayLike<number>, edges: Float64Array, epsilon: number): Float64Array {
  const counts = new Float64Array(edges.length + 1);
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    let low = 0;
    let high = edges.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (edges[mid]! < value) low = mid + 1;
      else high = mid;
    }
    counts[low]!++;
  }
  for (let b = 0; b < counts.length; b++) counts[b] = Math.max(counts[b]! / values.length, epsilon);
  return counts;
}

export function populationStabilityIndex(reference: ArrayLike<number>, current: ArrayLike<number>, options: PsiOptions = {}): number {
  if (reference.length === 0 || current.length === 0) throw new DriftInputError('populationStabilityIndex needs two non-empty samples');
  const bins = options.bins ?? DEFAULT_PSI_BINS;
  const epsilon = options.epsilon ?? DEFAULT_PSI_EPSILON;
  const sorted = Float64Array.from(reference).sort();
  const edges = new Float64Array(bins - 1);
  for (let b = 1; b < bins; b++) edges[b - 1] = quantile(sorted, b / bins);
  const expected = binShares(reference, edges, epsilon);
  const actual = binShares(current, edges, epsilon);
  let psi = 0;
  for (let b = 0; b < bins; b++) psi += (actual[b]! - expected[b]!) * Math.log(actual[b]! / expected[b]!);
  return psi;
}
