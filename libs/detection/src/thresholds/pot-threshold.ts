/**
 * Peaks-over-threshold (EVT) threshold for a risk q: take the `level` quantile t of normal scores, fit a GPD
 * to all excesses over t by maximum likelihood and extrapolate to z_q with P(score > z_q) = q
 * (Siffer et al. 2017, eq. 1). Unlike a percentile it can set thresholds rarer than 1/n.
 *
 * @example
 *   const threshold = new PotThreshold({ q: 1e-5, level: 0.98 }).fit(scores); // threshold.tail: { shape, scale, … }
 */
import { type GpdFit, fitGpd, potQuantile } from './gpd';
import { quantile } from '@vigil/features';
import { validateSpotOptions } from './spot';
import { type CalibrationMeta, type ScoreThreshold, THRESHOLD_CALIBRATION_FORMAT, THRESHOLD_CALIBRATION_VERSION } from './threshold';
import type { ThresholdCalibration } from './threshold-calibration';
import { ThresholdNotInferredError } from './threshold.errors';

export interface PotThresholdOptions {
  q: number;
  level: number;
}

export interface PotTail {
  tailThreshold: number;
  peakCount: number;
  gpd: GpdFit;
}

export class PotThreshold implements ScoreThreshold {
  readonly kind = 'pot';
  readonly options: Readonly<PotThresholdOptions>;
  private fittedTail: PotTail | undefined;
  private inferred = Number.NaN;
  private sampleSize = 0;

  constructor(options: Partial<PotThresholdOptions> = {}) {
    const { q = 1e-4, level = 0.98 } = options;
    validateSpotOptions({ q, level, maxPeaks: 2, discardAnomalies: true });
    this.options = { q, level };
  }

  get isFitted(): boolean {
    return this.fittedTail !== undefined;
  }

  get value(): number {
    if (!this.fittedTail) throw new ThresholdNotInferredError(this.kind);
    return this.inferred;
  }

  get tail(): Readonly<PotTail> {
    if (!this.fittedTail) throw new ThresholdNotInferredError(this.kind);
    return this.fittedTail;
  }

  fit(scores: ArrayLike<number>): this {
    const tailThreshold = quantile(scores, this.options.level);
    const excesses: number[] = [];
    for (let i = 0; i < scores.length; i++) if (scores[i]! > tailThreshold) excesses.push(scores[i]! - tailThreshold);
    const gpd = fitGpd(excesses);
    this.fittedTail = { tailThreshold, peakCount: excesses.length, gpd };
    this.sampleSize = scores.length;
    this.inferred = potQuantile(tailThreshold, gpd, this.options.q, scores.length, excesses.length);
    return this;
  }

  static fromCalibrated(options: PotThresholdOptions, tail: PotTail, sampleSize: number): PotThreshold {
    const threshold = new PotThreshold(options);
    threshold.fittedTail = { ...tail, gpd: { ...tail.gpd } };
    threshold.sampleSize = sampleSize;
    threshold.inferred = potQuantile(tail.tailThreshold, tail.gpd, options.q, sampleSize, tail.peakCount);
    return threshold;
  }

  isAnomaly(score: number): boolean {
    return score > this.value;
  }

  toCalibration(meta: CalibrationMeta = {}): ThresholdCalibration {
    const tail = this.tail;
    return {
      format: THRESHOLD_CALIBRATION_FORMAT,
      version: THRESHOLD_CALIBRATION_VERSION,
      kind: 'pot',
      options: { ...this.options },
      tail: { ...tail, gpd: { ...tail.gpd } },
      threshold: this.value,
      sampleSize: this.sampleSize,
      ...meta,
    };
  }
}
