/**
 * Sample statistics (the one quantile of the code base, used by thresholds, calibration and drift): the empirical quantile with linear interpolation (numpy's default,
 * `np.quantile(x, p)`) and the median absolute deviation.
 *
 * @example
 *   quantile([1, 2, 3, 4], 0.5); // 2.5
 *   medianAbsoluteDeviation([1, 2, 3, 4, 100]); // { median: 3, mad: 1 }
 */

function sortedCopy(sample: ArrayLike<number>): Float64Array {
  const sorted = Float64Array.from(sample);
  for (const v of sorted) if (Number.isNaN(v)) throw new RangeError('sample contains NaN');
  return sorted.sort();
}

export function quantileOfSorted(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of an empty sample');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile level must be in [0, 1], got ${p}`);
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  const fraction = position - lower;
  return sorted[lower]! + fraction * (sorted[upper]! - sorted[lower]!);
}

/** Empirical p-quantile, linear interpolation between order statistics (numpy `method='linear'`). */
export function quantile(sample: ArrayLike<number>, p: number): number {
  return quantileOfSorted(sortedCopy(sample), p);
}

/** Median and raw (unscaled) median absolute deviation. */
export function medianAbsoluteDeviation(sample: ArrayLike<number>): { median: number; mad: number } {
  const sorted = sortedCopy(sample);
  const median = quantileOfSorted(sorted, 0.5);
  const deviations = sorted.map((v) => Math.abs(v - median)).sort();
  return { median, mad: quantileOfSorted(deviations, 0.5) };
}
