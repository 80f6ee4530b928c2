import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCalibration, writeCalibration } from './calibration.repository';
import { MadThreshold } from './mad-threshold';
import { PercentileThreshold } from './percentile-threshold';
import { PotThreshold } from './pot-threshold';
import { THRESHOLD_CALIBRATION_FILE } from './threshold';
import { parseThresholdCalibration, thresholdFromCalibration } from './threshold-calibration';
import { InvalidThresholdOptionsError, InvalidThresholdStateError, ThresholdNotInferredError } from './threshold.errors';

interface BatchCase {
  name: string;
  scores: number[];
  percentiles: Record<string, number>;
  mad: Record<string, number>;
  pot: { interiorMle: boolean; q: number; level: number; tailThreshold: number; peakCount: number; shape: number; scale: number; threshold: number }[];
}

/** Made by fixtures/make_threshold_fixtures.py (numpy percentile, scipy MAD, scipy genpareto POT). */
const fixture = JSON.parse(readFileSync(join(__dirname, '../../fixtures/batch-thresholds.json'), 'utf8')) as { cases: BatchCase[] };

describe.each(fixture.cases.map((c) => [c.name, c] as const))('batch thresholds vs numpy/scipy: %s', (_name, c) => {
  it('percentile matches np.percentile', () => {
    for (const [p, expected] of Object.entries(c.percentiles)) {
      expect(new PercentileThreshold({ percentile: Number(p) }).fit(c.scores).value).toBeCloseTo(expected, 12);
    }
  });

  it('MAD matches median + k · scipy median_abs_deviation(scale="normal")', () => {
    for (const [k, expected] of Object.entries(c.mad)) expect(new MadThreshold({ k: Number(k) }).fit(c.scores).value).toBeCloseTo(expected, 12);
  });

  it('POT matches a scipy GPD fit of the excesses', () => {
    for (const reference of c.pot) {
      const threshold = new PotThreshold({ q: reference.q, level: reference.level }).fit(c.scores);
      expect(threshold.tail.tailThreshold).toBeCloseTo(reference.tailThreshold, 12);
      expect(threshold.tail.peakCount).toBe(reference.peakCount);
      if (!reference.interiorMle) {
        // No maximum-likelihood estimate exists (scipy drifts to shape < −1); we must not follow it there.
        expect(threshold.tail.gpd.shape).toBeGreaterThan(-1);
        expect(Number.isFinite(threshold.value)).toBe(true);
        continue;
      }
      expect(threshold.tail.gpd.shape).toBeCloseTo(reference.shape, 5);
      expect(Math.abs(threshold.value / reference.threshold - 1)).toBeLessThan(1e-5);
    }
  });
});

describe('threshold calibration files', () => {
  const scores = fixture.cases[0]!.scores;
  const thresholds = [new PercentileThreshold({ percentile: 99.5 }), new MadThreshold({ k: 4 }), new PotThreshold({ q: 1e-4 })];

  it.each(thresholds.map((t) => [t.kind, t] as const))('%s survives save → load with the same value', async (_kind, threshold) => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-threshold-'));
    try {
      threshold.fit(scores);
      const path = await writeCalibration(dir, threshold.toCalibration({ modelVersion: 'pca@1', calibratedAt: '2026-11-27T04:00:00Z' }));
      expect(path).toBe(join(dir, THRESHOLD_CALIBRATION_FILE));
      const saved = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
      expect(saved).toMatchObject({ format: 'vigil.threshold-calibration', version: 1, kind: threshold.kind, modelVersion: 'pca@1' });
      const restored = thresholdFromCalibration(await readCalibration(dir));
      expect(restored.value).toBe(threshold.value);
      expect(restored.toCalibration()).toEqual(threshold.toCalibration());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects foreign, newer or damaged documents', () => {
    const good = new MadThreshold().fit(scores).toCalibration();
    expect(() => parseThresholdCalibration({ ...good, format: 'other' })).toThrow(InvalidThresholdStateError);
    expect(() => parseThresholdCalibration({ ...good, version: 2 })).toThrow(InvalidThresholdStateError);
    expect(() => parseThresholdCalibration({ ...good, kind: 'magic' })).toThrow(InvalidThresholdStateError);
    expect(() => parseThresholdCalibration({ ...good, statistics: { median: 1, mad: null } })).toThrow(InvalidThresholdStateError);
  });

  it('throws named errors on misuse', () => {
    expect(() => new PercentileThreshold().value).toThrow(ThresholdNotInferredError);
    expect(() => new PotThreshold().isAnomaly(1)).toThrow(ThresholdNotInferredError);
    expect(() => new PercentileThreshold({ percentile: 0 })).toThrow(InvalidThresholdOptionsError);
    expect(() => new MadThreshold({ k: -1 })).toThrow(InvalidThresholdOptionsError);
    expect(() => new PotThreshold({ q: 0.5 })).toThrow(InvalidThresholdOptionsError);
  });

  it('MAD shrugs off contamination that drags a mean-and-sigma rule', () => {
    const contaminated = fixture.cases.find((c) => c.name === 'gaussian-contaminated')!.scores;
    const mean = contaminated.reduce((a, b) => a + b, 0) / contaminated.length;
    const sd = Math.sqrt(contaminated.reduce((a, b) => a + (b - mean) ** 2, 0) / contaminated.length);
    const mad = new MadThreshold({ k: 3 }).fit(contaminated);
    // Bulk is N(1, 0.2): 3σ is 1.6; the outliers inflate mean + 3·sd well beyond.
    expect(mad.value).toBeLessThan(1.75);
    expect(mean + 3 * sd).toBeGreaterThan(2);
  });
});
