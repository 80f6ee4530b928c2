import { describe, expect, it } from 'vitest';
import { references } from './drift-references.test-helpers';
import { ksTwoSample } from './kolmogorov-smirnov';

describe('ksTwoSample against scipy.stats.ks_2samp', () => {
  it.each(references.ks.filter((c) => c.method === 'auto').map((c, i) => [i, c] as const))('exact case %i: statistic and p-value', (_, c) => {
    const result = ksTwoSample(c.a, c.b);
    expect(result.method).toBe('exact');
    expect(result.statistic).toBeCloseTo(c.statistic, 12);
    expect(Math.abs(result.pValue - c.pValue)).toBeLessThanOrEqual(1e-9 * Math.max(1, c.pValue) + 1e-6 * c.pValue);
  });

  it('large samples use the asymptotic law, within 0.02 of scipy', () => {
    const c = references.ks.find((k) => k.method === 'asymp')!;
    const result = ksTwoSample(c.a, c.b);
    expect(result.method).toBe('asymptotic');
    expect(result.statistic).toBeCloseTo(c.statistic, 12);
    expect(Math.abs(result.pValue - c.pValue)).toBeLessThan(0.02);
  });

  it('is symmetric and gives p = 1 for identical samples', () => {
    const c = references.ks[2]!;
    expect(ksTwoSample(c.a, c.b).pValue).toBeCloseTo(ksTwoSample(c.b, c.a).pValue, 12);
    expect(ksTwoSample(c.a, c.a)).toMatchObject({ statistic: 0, pValue: 1 });
  });

  it('rejects empty samples', () => {
    expect(() => ksTwoSample([], [1])).toThrow(/non-empty/);
  });
});
