/**
 * Wasserstein-1 (earth mover's) distance between two one-dimensional empirical distributions, ∫ |F₁ − F₂| dx,
 * as scipy.stats.wasserstein_distance without weights. For latents it is taken per dimension.
 *
 * @example
 *   wasserstein1([0, 1, 3], [5, 6, 8]); // 5
 */
import { DriftInputError } from './points';

export function wasserstein1(sample1: ArrayLike<number>, sample2: ArrayLike<number>): number {
  if (sample1.length === 0 || sample2.length === 0) throw new DriftInputError('wasserstein1 needs two non-empty samples');
  const a = Float64Array.from(sample1).sort();
  const b = Float64Array.from(sample2).sort();
  let i = 0;
  let j = 0;
  let previous = Math.min(a[0]!, b[0]!);
  let distance = 0;
  // Walk the merged support; between consecutive support points both CDFs are constant.
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    distance += Math.abs(i / a.length - j / b.length) * (next - previous);
    while (i < a.length && a[i] === next) i++;
    while (j < b.length && b[j] === next) j++;
    previous = next;
  }
  return distance;
}
