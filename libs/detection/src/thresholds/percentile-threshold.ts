/**
 * Threshold at a fixed percentile of normal scores: simple, distribution-free, but it can only flag as rare as
 * the sample is large (a 99.99th percentile needs far more than 10⁴ scores to mean anything).
 *
 * @example
 *   const threshold = new PercentileThreshold({ percentile: 99.5 }).fit(scores);
 */
import { quantile } from '@vigil/features';
import { type CalibrationMeta, type ScoreThreshold, THRESHOLD_CALIBRATION_FORMAT, THRESHOLD_CALIBRATION_VERSION } from './threshold';
import type { ThresholdCalibration } from './threshold-calibration';
import { InvalidThresholdOptionsError, ThresholdNotInferredError } from './threshold.errors';

export interface PercentileThresholdOptions {
  /** In (0, 100]. */
  percentile: number;
}

export class PercentileThreshold implements ScoreThreshold {
  readonly kind = 'percentile';
  readonly options: Readonly<PercentileThresholdOptions>;
  private inferred = Number.NaN;
  private sampleSize = 0;

  constructor(options: Partial<PercentileThresholdOptions> = {}) {
    const percentile = options.percentile ?? 99;
    if (!(percentile > 0 && percentile <= 100)) throw new InvalidThresholdOptionsError(`percentile must be in (0, 100], got ${percentile}`);
    this.options = { percentile };
  }

  get isFitted(): boolean {
    return this.sampleSize > 0;
  }

  get value(): number {
    if (!this.isFitted) throw new ThresholdNotInferredError(this.kind);
    return this.inferred;
  }

  fit(scores: ArrayLike<number>): this {
    this.inferred = quantile(scores, this.options.percentile / 100);
    this.sampleSize = scores.length;
    return this;
  }

  /** Restores a fitted threshold from its calibration values. */
  static fromCalibrated(options: PercentileThresholdOptions, value: number, sampleSize: number): PercentileThreshold {
    const threshold = new PercentileThreshold(options);
    threshold.inferred = value;
    threshold.sampleSize = sampleSize;
    return threshold;
  }

  isAnomaly(score: number): boolean {
    return score > this.value;
  }

  toCalibration(meta: CalibrationMeta = {}): ThresholdCalibration {
    return {
      format: THRESHOLD_CALIBRATION_FORMAT,
      version: THRESHOLD_CALIBRATION_VERSION,
      kind: 'percentile',
      options: { ...this.options },
      threshold: this.value,
      sampleSize: this.sampleSize,
      ...meta,
    };
  }
}
