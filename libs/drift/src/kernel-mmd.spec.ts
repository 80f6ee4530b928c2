import { seededRandom } from '@vigil/features';
import { describe, expect, it } from 'vitest';
import { references } from './drift-references.test-helpers';
import { linearTimeMmd, medianHeuristic, mmdPermutationTest, mmdTest } from './kernel-mmd';
import type { Points } from './points';

const points = (values: number[], count: number, dim: number): Points => ({ values, count, dim });

function gaussianPoints(seed: number, count: number, dim: number, shift = 0): Points {
  const random = seededRandom(seed);
  const values = new Float64Array(count * dim);
  for (let i = 0; i < values.length; i++) values[i] = random.normal(shift, 1);
  return { values, count, dim };
}

describe('MMD against the NumPy reference (same kernel, same permutation stream)', () => {
  it.each(references.mmd.map((c, i) => [i, c] as const))('case %i: bandwidth, MMD²_u, permutation p-value, linear statistic', (_, c) => {
    const x = points(c.x, c.n, c.dim);
    const y = points(c.y, c.m, c.dim);
    expect(medianHeuristic(x, y)).toBeCloseTo(c.bandwidthSquared, 10);
    const result = mmdPermutationTest(x, y, { permutations: c.permutations, seed: c.seed });
    expect(result.statistic).toBeCloseTo(c.statistic, 12);
    expect(result.pValue).toBe(c.pValue);
    expect(linearTimeMmd(x, y, { bandwidthSquared: c.bandwidthSquared }).statistic).toBeCloseTo(c.linearStatistic, 12);
  });
});

describe('MMD test calibration and power', () => {
  const trials = 400;
  const rejectionRate = (shift: number, count: number, dim: number, seedBase: number) => {
    let rejected = 0;
    for (let t = 0; t < trials; t++) {
      const x = gaussianPoints(seedBase + 2 * t, count, dim);
      const y = gaussianPoints(seedBase + 2 * t + 1, count, dim, shift);
      if (mmdPermutationTest(x, y, { permutations: 99, seed: t }).pValue <= 0.05) rejected++;
    }
    return rejected / trials;
  };

  it('rejects same-distribution samples at a rate in [0.02, 0.08] at α = 0.05 (400 seeded trials)', () => {
    const falsePositiveRate = rejectionRate(0, 30, 8, 1_000);
    expect(falsePositiveRate).toBeGreaterThanOrEqual(0.02);
    expect(falsePositiveRate).toBeLessThanOrEqual(0.08);
  });

  it('detects a 0.5σ mean shift in every latent dimension most of the time (30 vs 30 points, dim 8)', () => {
    expect(rejectionRate(0.5, 30, 8, 50_000)).toBeGreaterThan(0.9);
  });

  it('the linear-time test holds its level roughly and sees a large shift', () => {
    let falseAlarms = 0;
    for (let t = 0; t < 200; t++) if (linearTimeMmd(gaussianPoints(9_000 + 2 * t, 400, 8), gaussianPoints(9_001 + 2 * t, 400, 8)).pValue <= 0.05) falseAlarms++;
    expect(falseAlarms / 200).toBeLessThan(0.1);
    expect(linearTimeMmd(gaussianPoints(1, 2000, 8), gaussianPoints(2, 2000, 8, 0.5)).pValue).toBeLessThan(1e-3);
  });

  it('mmdTest switches to the linear-time test above maxPermutationPoints', () => {
    const x = gaussianPoints(3, 60, 4);
    const y = gaussianPoints(4, 60, 4);
    expect(mmdTest(x, y).method).toBe('permutation');
    expect(mmdTest(x, y, { maxPermutationPoints: 100 }).method).toBe('linear');
  });
});
