/**
 * The CLI's anomaly threshold: EVT peaks-over-threshold (`PotThreshold` of @vigil/detection: GPD fitted to the
 * top 2 % of training-window scores, extrapolated to risk q) by default; the percentile of the training scores
 * when the tail is too thin for a GPD fit (a short file) or when `--threshold percentile` asks for it.
 *
 * @example
 *   const { calibration, detectionCalibration } = calibrateThreshold(scores, { method: 'evt', q: 1e-3, percentile: 0.99 });
 */
import { PotThreshold, type ThresholdCalibration } from '@vigil/detection';
import { type Calibration, percentileCalibration } from '@vigil/ml';

export interface ThresholdOptions {
  method: 'evt' | 'percentile';
  /** EVT risk: the probability that a normal window exceeds the threshold. */
  q: number;
  level: number;
  percentile: number;
}

export const DEFAULT_THRESHOLD_OPTIONS: ThresholdOptions = { method: 'evt', q: 1e-3, level: 0.98, percentile: 0.99 };

export interface CalibratedThreshold {
  calibration: Calibration;
  /** The detection library's own calibration JSON (written as threshold.json) when EVT was used. */
  detectionCalibration?: ThresholdCalibration;
  /** Why EVT was not used, when it was asked for. */
  fallbackReason?: string;
}

export function calibrateThreshold(scores: Float32Array, options: ThresholdOptions = DEFAULT_THRESHOLD_OPTIONS): CalibratedThreshold {
  if (options.method === 'evt') {
    try {
      const pot = new PotThreshold({ q: options.q, level: options.level }).fit(scores);
      const { tailThreshold, peakCount, gpd } = pot.tail;
      if (Number.isFinite(pot.value) && pot.value > tailThreshold) {
        return {
          calibration: {
            method: 'evt-pot',
            threshold: pot.value,
            parameters: { q: options.q, level: options.level, tailThreshold, peakCount, gpdShape: gpd.shape, gpdScale: gpd.scale },
            scoreCount: scores.length,
          },
          detectionCalibration: pot.toCalibration(),
        };
      }
      return { calibration: percentileCalibration(scores, options.percentile), fallbackReason: `EVT threshold ${pot.value} is not above the tail threshold` };
    } catch (error) {
      return { calibration: percentileCalibration(scores, options.percentile), fallbackReason: error instanceof Error ? error.message : String(error) };
    }
  }
  return { calibration: percentileCalibration(scores, options.percentile) };
}
