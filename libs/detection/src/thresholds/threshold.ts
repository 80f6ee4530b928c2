/**
 * The contract of a threshold calibrated once on a sample of normal scores (anomalib / alibi-detect style):
 * `fit(scores)` infers the threshold, `isAnomaly(score)` applies it, `toCalibration()` gives the versioned JSON
 * saved next to the model. Streaming thresholds (SPOT, DSPOT) keep learning and have their own state format.
 *
 * @example
 *   const threshold = new PotThreshold({ q: 1e-4 }).fit(validationScores);
 *   if (threshold.isAnomaly(score)) alert();
 *   await writeCalibration(modelDir, threshold.toCalibration({ modelVersion }));
 */
import type { ThresholdCalibration } from './threshold-calibration';

export const THRESHOLD_CALIBRATION_FORMAT = 'vigil.threshold-calibration';
export const THRESHOLD_CALIBRATION_VERSION = 1;
/** File name of a calibration inside a model directory. */
export const THRESHOLD_CALIBRATION_FILE = 'threshold.json';

export type ThresholdKind = 'percentile' | 'mad' | 'pot';

export interface CalibrationMeta {
  /** Version of the model whose scores were calibrated on. */
  modelVersion?: string;
  /** ISO-8601 time of calibration; passed in because libraries do not read the clock. */
  calibratedAt?: string;
}

export interface ScoreThreshold {
  readonly kind: ThresholdKind;
  readonly isFitted: boolean;
  /** The inferred threshold; throws ThresholdNotInferredError before `fit`. */
  readonly value: number;
  fit(scores: ArrayLike<number>): this;
  /** score > value. */
  isAnomaly(score: number): boolean;
  toCalibration(meta?: CalibrationMeta): ThresholdCalibration;
}
