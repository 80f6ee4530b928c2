/**
 * Robust threshold median + k·s·MAD of normal scores. With the default consistency factor s = 1.4826, s·MAD
 * estimates the standard deviation of Gaussian scores, so k reads as "k sigmas" while a few outliers in the
 * calibration sample barely move it. Set s = 1 for the literal median + k·MAD.
 *
 * @example
 *   const threshold = new MadThreshold({ k: 4 }).fit(scores);
 */
import { medianAbsoluteDeviation } from '@vigil/features';
import { type CalibrationMeta, type ScoreThreshold, THRESHOLD_CALIBRATION_FORMAT, THRESHOLD_CALIBRATION_VERSION } from './threshold';
import type { ThresholdCalibration } from './threshold-calibration';
import { InvalidThresholdOptionsError, ThresholdNotInferredError } from './threshold.errors';

/** 1/Φ⁻¹(3/4): makes the MAD a consistent estimator of σ for Gaussian data. */
export const GAUSSIAN_MAD_CONSISTENCY = 1.482602218505602;

export interface MadThresholdOptions {
  k: number;
  consistency: number;
}

export interface MadStatistics {
  median: number;
  mad: number;
}

export class MadThreshold implements ScoreThreshold {
  readonly kind = 'mad';
  readonly options: Readonly<MadThresholdOptions>;
  private statistics: MadStatistics | undefined;
  private sampleSize = 0;

  constructor(options: Partial<MadThresholdOptions> = {}) {
    const { k = 3, consistency = GAUSSIAN_MAD_CONSISTENCY } = options;
    if (!(k > 0) || !Number.isFinite(k)) throw new InvalidThresholdOptionsError(`k must be a positive number, got ${k}`);
    if (!(consistency > 0) || !Number.isFinite(consistency))
      throw new InvalidThresholdOptionsError(`consistency must be a positive number, got ${consistency}`);
    this.options = { k, consistency };
  }

  get isFitted(): boolean {
    return this.statistics !== undefined;
  }

  get value(): number {
    if (!this.statistics) throw new ThresholdNotInferredError(this.kind);
    return this.statistics.median + this.options.k * this.options.consistency * this.statistics.mad;
  }

  fit(scores: ArrayLike<number>): this {
    this.statistics = medianAbsoluteDeviation(scores);
    this.sampleSize = scores.length;
    return this;
  }

  static fromCalibrated(options: MadThresholdOptions, statistics: MadStatistics, sampleSize: number): MadThreshold {
    const threshold = new MadThreshold(options);
    threshold.statistics = { ...statistics };
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
      kind: 'mad',
      options: { ...this.options },
      statistics: { ...this.statistics! },
      threshold: this.value,
      sampleSize: this.sampleSize,
      ...meta,
    };
  }
}
