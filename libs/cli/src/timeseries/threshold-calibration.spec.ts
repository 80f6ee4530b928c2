import { describe, expect, it } from 'vitest';
import { calibrateThreshold, DEFAULT_THRESHOLD_OPTIONS } from './threshold-calibration';

/** Exp(1) scores by inverse transform on a fixed low-discrepancy grid: P(score > t) = e^-t exactly in the limit. */
const exponentialScores = (n: number) => Float32Array.from({ length: n }, (_, i) => -Math.log(1 - (i + 0.5) / n));

describe('calibrateThreshold', () => {
  it('extrapolates the tail with EVT: for Exp(1) scores the q-threshold is about −ln q', () => {
    const { calibration, detectionCalibration } = calibrateThreshold(exponentialScores(20_000), { ...DEFAULT_THRESHOLD_OPTIONS, q: 1e-3 });
    expect(calibration.method).toBe('evt-pot');
    expect(calibration.threshold).toBeGreaterThan(-Math.log(1e-3) * 0.9);
    expect(calibration.threshold).toBeLessThan(-Math.log(1e-3) * 1.1);
    expect(detectionCalibration?.kind).toBe('pot');
  });

  it('falls back to the percentile when the tail is too thin, and says why', () => {
    const result = calibrateThreshold(exponentialScores(30));
    expect(result.calibration.method).toBe('percentile');
    expect(result.fallbackReason).toBeTruthy();
  });

  it('uses the percentile when asked', () => {
    const { calibration } = calibrateThreshold(Float32Array.of(1, 2, 3, 4, 5), { ...DEFAULT_THRESHOLD_OPTIONS, method: 'percentile', percentile: 0.5 });
    expect([calibration.method, calibration.threshold]).toEqual(['percentile', 3]);
  });
});
