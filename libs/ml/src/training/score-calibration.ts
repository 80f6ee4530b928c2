/**
 * Turns the scores of normal (training or validation) windows into an anomaly threshold stored with the model.
 * `percentileCalibration` is the fallback: the p-th percentile (numpy's linear interpolation) of those scores.
 * An EVT (peaks-over-threshold) calibrator plugs in through the same `ScoreCalibrator` signature.
 *
 * @example
 *   const calibration = percentileCalibration(scores, 0.99);   // { method: 'percentile', threshold, … }
 */
import { quantile } from '@vigil/features';
import type { Calibration } from '../registry/model-manifest';

export type ScoreCalibrator = (scores: ArrayLike<number>) => Calibration;

/** The p-quantile of the finite scores (`quantile` of @vigil/features, numpy's linear interpolation). */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile must be in [0, 1], got ${p}`);
  const finite = Float64Array.from(values).filter(Number.isFinite);
  if (finite.length === 0) throw new RangeError('no finite scores to calibrate on');
  return quantile(finite, p);
}

export function percentileCalibration(scores: ArrayLike<number>, p = 0.99): Calibration {
  return { method: 'percentile', threshold: percentile(scores, p), parameters: { percentile: p }, scoreCount: scores.length };
}
