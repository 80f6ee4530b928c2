/**
 * The alarm threshold, fitted on normal rows the way new data will look, by extreme-value theory:
 * - a peaks-over-threshold tail (POT, `@vigil/detection`: a generalised Pareto fit of the scores above their
 *   `tailLevel` quantile) extrapolated to `risk`, the fraction of normal rows the user accepts above the
 *   threshold. An empirical quantile cannot go beyond 1/n: with the few hundred rows a plant run gives, the
 *   99 % quantile is one of the last few scores, which sets the threshold by chance and floods the user.
 * - the tail is fitted on the scores of every training row after warm-up: the held-out rows (the last part of
 *   each training file, in time order, which the model never trained on) plus the fit rows. The held-out rows
 *   alone leave only a handful of excesses. The fit rows are nearly out-of-sample for the score's level part
 *   (one spread per channel, a causal baseline); the VAE part is in-sample there, which is why its default
 *   share is small, and why the threshold never falls below the held-out rows' own empirical quantile.
 * The report says what the threshold gives on the held-out rows (the false-alarm rate to expect) and what an
 * in-sample empirical quantile (the same risk on the fit rows alone) would have given there.
 *
 * @example
 *   const calibration = calibrateThreshold(fitScores, heldOutScores, { risk: 0.001 });
 *   calibration.threshold; calibration.expectedFalseAlarmRate; calibration.inSample.heldOutRate;
 */
import { InsufficientExcessesError, PotThreshold } from '@vigil/detection';
import { percentile } from '@vigil/ml';

/** Quantile where the POT tail starts: high enough to be a tail, low enough for ~20 excesses in 400 rows. */
export const DEFAULT_TAIL_LEVEL = 0.95;

export interface HeldOutCalibration {
  threshold: number;
  risk: number;
  method: 'pot' | 'quantile';
  /** Fraction of held-out normal rows above the threshold: the false-alarm rate to expect before alarm logic. */
  expectedFalseAlarmRate: number;
  heldOutRows: number;
  /** What an in-sample threshold (the empirical 1 − risk quantile of the fit rows' scores) would have given. */
  inSample: { threshold: number; heldOutRate: number };
}

export function exceedanceRate(scores: ArrayLike<number>, threshold: number): number {
  let above = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]! > threshold) above++;
  return above / Math.max(1, scores.length);
}

export function calibrateThreshold(
  fitScores: ArrayLike<number>,
  heldOutScores: ArrayLike<number>,
  { risk, tailLevel = DEFAULT_TAIL_LEVEL }: { risk: number; tailLevel?: number },
): HeldOutCalibration {
  if (!(risk > 0 && risk < 1)) throw new RangeError(`risk must be in (0, 1), got ${risk}`);
  if (heldOutScores.length === 0) throw new RangeError('no held-out scores to calibrate on');
  const all = Float64Array.from([...Array.from(fitScores), ...Array.from(heldOutScores)]);
  const pot = potThreshold(all, risk, tailLevel);
  // Too few distinct excesses for a tail fit (tiny or quantised training runs): the held-out quantile.
  // Never below the held-out rows' own empirical quantile (their maximum when risk < 1/n): where the fit rows
  // are in-sample and score low (a VAE-heavy mix), they would otherwise drag the tail down.
  const heldOutQuantile = percentile(heldOutScores, 1 - Math.max(risk, 1 / heldOutScores.length));
  const threshold = Math.max(pot ?? heldOutQuantile, heldOutQuantile);
  const method: HeldOutCalibration['method'] = pot === undefined ? 'quantile' : 'pot';
  const inSampleThreshold = percentile(fitScores.length ? fitScores : heldOutScores, 1 - risk);
  return {
    threshold,
    risk,
    method,
    expectedFalseAlarmRate: exceedanceRate(heldOutScores, threshold),
    heldOutRows: heldOutScores.length,
    inSample: { threshold: inSampleThreshold, heldOutRate: exceedanceRate(heldOutScores, inSampleThreshold) },
  };
}

function potThreshold(scores: Float64Array, risk: number, tailLevel: number): number | undefined {
  try {
    const value = new PotThreshold({ q: Math.min(risk, 1 - tailLevel), level: tailLevel }).fit(scores).value;
    return Number.isFinite(value) ? value : undefined;
  } catch (error) {
    if (error instanceof InsufficientExcessesError) return undefined;
    throw error;
  }
}
