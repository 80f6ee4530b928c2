import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitGpd, fitGpdInto, gpdLogLikelihood, gpdQuantile, InsufficientExcessesError, potQuantile, refitGpdInto } from './gpd';

interface GpdFixtureCase {
  name: string;
  excesses: number[];
  scipy: { shape: number; scale: number; logLikelihood: number };
  quantiles: { p: number; z: number }[];
}

/** Made by fixtures/make_gpd_fixtures.py (scipy.stats.genpareto, tight Nelder-Mead). */
const fixture = JSON.parse(readFileSync(join(__dirname, '../../fixtures/gpd-fits.json'), 'utf8')) as { cases: GpdFixtureCase[] };

describe('fitGpd vs scipy.stats.genpareto.fit(floc=0)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const fit = fitGpd(c.excesses);
    // Ours is the exact stationary point; scipy's Nelder-Mead stops within ~1e-7 of it.
    expect(fit.shape).toBeCloseTo(c.scipy.shape, 5);
    expect(Math.abs(fit.scale / c.scipy.scale - 1)).toBeLessThan(1e-5);
    // Never a worse likelihood than scipy's optimum (up to rounding).
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(c.scipy.logLikelihood - 1e-9);
    expect(gpdLogLikelihood(c.excesses, c.scipy)).toBeCloseTo(c.scipy.logLikelihood, 8);
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('quantiles match genpareto.isf: %s', (_name, c) => {
    for (const { p, z } of c.quantiles) expect(gpdQuantile(c.scipy, p)).toBeCloseTo(z, 9);
  });
});

describe('fitGpd', () => {
  it('throws a named error without enough distinct excesses', () => {
    expect(() => fitGpd([1])).toThrow(InsufficientExcessesError);
    expect(() => fitGpd([2, 2, 2])).toThrow(InsufficientExcessesError);
  });

  it('uses the exponential limit when no interior stationary point beats it', () => {
    // Two points: the profile likelihood is monotone toward the pole; only x → 0 is a valid candidate.
    const fit = fitGpd([1, 3]);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(gpdLogLikelihood([1, 3], { shape: 0, scale: 2 }) - 1e-12);
  });

  it('refit from a warm start agrees with a full fit after one excess changes', () => {
    const c = fixture.cases.find((k) => k.name === 'shape=0.3 size=200')!;
    const y = Float64Array.from(c.excesses);
    const warm = fitGpd(y);
    y[17] = 4.2;
    const full = fitGpd(y);
    const refit = refitGpdInto(warm, y, y.length);
    expect(refit.shape).toBeCloseTo(full.shape, 9);
    expect(refit.scale).toBeCloseTo(full.scale, 9);
  });

  it('fits into a caller-owned object over a prefix of a buffer', () => {
    const buffer = new Float64Array(64);
    buffer.set([0.5, 1.2, 0.1, 2.5, 0.7, 0.3, 1.9]);
    const out = fitGpdInto({ shape: 0, scale: 1, logLikelihood: 0, method: 'exponential' }, buffer, 7);
    expect(out).toEqual(fitGpd([0.5, 1.2, 0.1, 2.5, 0.7, 0.3, 1.9]));
  });
});

describe('potQuantile', () => {
  it('is t + the GPD quantile at q·n/Nt (Siffer et al. eq. 1), continuous at shape 0', () => {
    const t = 4;
    expect(potQuantile(t, { shape: 0.2, scale: 1.5 }, 1e-3, 2000, 40)).toBeCloseTo(t + (1.5 / 0.2) * (Math.pow((1e-3 * 2000) / 40, -0.2) - 1), 12);
    const exponential = potQuantile(t, { shape: 0, scale: 1.5 }, 1e-3, 2000, 40);
    expect(exponential).toBeCloseTo(t - 1.5 * Math.log((1e-3 * 2000) / 40), 12);
    expect(potQuantile(t, { shape: 1e-12, scale: 1.5 }, 1e-3, 2000, 40)).toBeCloseTo(exponential, 9);
  });
});
