import { describe, expect, it } from 'vitest';
import { DeviceThresholds } from './device-thresholds';

/** Deterministic exponential-ish scores (a PRNG, not Math.random, so the test cannot flake). */
function scores(n: number, seed = 1): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 16807) % 2147483647;
    return -Math.log(s / 2147483647);
  });
}

describe('DeviceThresholds', () => {
  const calibration = scores(2000);

  it('starts every device from the calibration and flags scores far above it', () => {
    const t = new DeviceThresholds({ SENSOR: calibration }, { q: 1e-3 });
    const normal = t.judge('a', 'SENSOR', 1);
    expect(normal.isAnomaly).toBe(false);
    expect(normal.threshold).toBeGreaterThan(4); // ≈ −ln(1e-3) ≈ 6.9 for exponential scores
    expect(t.judge('b', 'SENSOR', 50).isAnomaly).toBe(true);
  });

  it('keeps devices independent and restores a device exactly from its state', () => {
    const t = new DeviceThresholds({ SENSOR: calibration }, { q: 1e-3 });
    for (const s of scores(500, 7)) t.judge('a', 'SENSOR', s * 1.5); // device a drifts up: its tail adapts
    const saved = t.stateOf('a');
    const resumed = new DeviceThresholds({ SENSOR: calibration }, { q: 1e-3 });
    resumed.restore('a', saved);
    const next = scores(50, 11);
    expect(next.map((s) => resumed.judge('a', 'SENSOR', s).threshold)).toEqual(next.map((s) => t.judge('a', 'SENSOR', s).threshold));
    expect(t.peek('a', 'SENSOR', 0).threshold).not.toBe(t.peek('fresh', 'SENSOR', 0).threshold);
  });

  it('refuses a modality it was not calibrated for', () => {
    expect(() => new DeviceThresholds({ SENSOR: calibration }).judge('a', 'AUDIO', 1)).toThrow(/no calibration for modality AUDIO/);
  });
});
