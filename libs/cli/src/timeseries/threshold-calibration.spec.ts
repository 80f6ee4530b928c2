import { describe, expect, it } from 'vitest';
import { calibrateThreshold, exceedanceRate } from './threshold-calibration';

/** Seeded LCG: uniform (0, 1). */
function uniforms(seed: number): () => number {
  let state = seed >>> 0;
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
}
const exponential = (next: () => number, n: number, mean: number) => Array.from({ length: n }, () => -mean * Math.log(next()));

describe('calibrateThreshold', () => {
  it('gives a far lower false-alarm rate on fresh normal data than an in-sample threshold would', () => {
    const next = uniforms(17);
    // A model that memorised its training rows: their errors are a third of what unseen normal rows give.
    const fitScores = exponential(next, 3000, 1 / 3);
    const heldOut = exponential(next, 1000, 1);
    const freshNormal = exponential(next, 5000, 1);
    const calibration = calibrateThreshold(fitScores, heldOut, { risk: 0.01 });
    const heldOutFar = exceedanceRate(freshNormal, calibration.threshold);
    const inSampleFar = exceedanceRate(freshNormal, calibration.inSample.threshold);
    expect(heldOutFar).toBeGreaterThan(0.004);
    expect(heldOutFar).toBeLessThan(0.02);
    expect(inSampleFar).toBeGreaterThan(10 * heldOutFar);
    expect(calibration.method).toBe('pot');
    expect(calibration.expectedFalseAlarmRate).toBeLessThan(0.03);
    expect(calibration.inSample.heldOutRate).toBeGreaterThan(0.1);
  });

  it('extrapolates beyond the sample with the POT tail: risk 1e-4 from 500 exponential scores', () => {
    const next = uniforms(5);
    const calibration = calibrateThreshold(exponential(next, 400, 1), exponential(next, 100, 1), { risk: 1e-4 });
    // The exact 1e-4 quantile of Exp(1) is ln(1e4) ≈ 9.2, far beyond the sample maximum (≈ ln 500 ≈ 6.2).
    expect(calibration.threshold).toBeGreaterThan(7);
    expect(calibration.threshold).toBeLessThan(13);
  });

  it('falls back to the held-out quantile when the tail has no spread (a quantised score)', () => {
    const calibration = calibrateThreshold(new Array(400).fill(1), new Array(100).fill(1), { risk: 0.01 });
    expect(calibration.method).toBe('quantile');
    expect(calibration.threshold).toBe(1);
  });

  it('rejects a risk outside (0, 1) and an empty held-out sample', () => {
    expect(() => calibrateThreshold([1], [1], { risk: 0 })).toThrow(/risk/);
    expect(() => calibrateThreshold([1], [], { risk: 0.01 })).toThrow(/no held-out/);
  });
});
