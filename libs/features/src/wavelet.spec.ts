import { describe, expect, it } from 'vitest';
import { expectAllClose, loadFixture } from './fixture';
import { dwt, dwtMaxLevel, waveletBandEnergies, waveletFilters, wavedec, type ExtensionMode, type WaveletName } from './wavelet';

interface WaveletFixture {
  dwt: { wavelet: WaveletName; mode: ExtensionMode; x: number[]; approximation: number[]; detail: number[] }[];
  wavedec: { wavelet: WaveletName; level: number | null; x: number[]; coefficients: number[][]; maxLevel: number }[];
}
const fixture = loadFixture<WaveletFixture>('wavelet');

describe('dwt matches pywt.dwt', () => {
  it.each(fixture.dwt.map((c) => [c.wavelet, c.mode, c.x.length, c] as const))('%s, mode %s, length %i', (wavelet, mode, _n, c) => {
    const out = dwt(c.x, wavelet, mode);
    expectAllClose(out.approximation, c.approximation, 1e-12);
    expectAllClose(out.detail, c.detail, 1e-12);
  });
});

describe('wavedec matches pywt.wavedec (symmetric mode)', () => {
  it.each(fixture.wavedec.map((c) => [c.wavelet, c.level ?? 'max', c] as const))('%s, level %s', (wavelet, _level, c) => {
    expect(dwtMaxLevel(c.x.length, wavelet)).toBe(c.maxLevel);
    const coefficients = wavedec(c.x, wavelet, c.level === null ? {} : { level: c.level });
    expect(coefficients.map((band) => band.length)).toEqual(c.coefficients.map((band) => band.length));
    coefficients.forEach((band, i) => expectAllClose(band, c.coefficients[i]!, 1e-11));
  });
});

describe('wavelet filters', () => {
  it.each(['haar', 'db2', 'db4'] as const)('%s is orthonormal: unit-norm filters, √2 DC gain, zero-mean high-pass', (name) => {
    const { decLo, decHi } = waveletFilters(name);
    expect(decLo.reduce((s, v) => s + v * v, 0)).toBeCloseTo(1, 10);
    expect(decLo.reduce((s, v) => s + v, 0)).toBeCloseTo(Math.SQRT2, 10);
    expect(decHi.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 10);
  });

  it('an orthogonal wavelet with periodic extension preserves energy (Parseval)', () => {
    const x = Float64Array.from({ length: 64 }, (_, i) => Math.sin(i / 3) + (i % 7) / 7);
    const energy = x.reduce((s, v) => s + v * v, 0);
    const bands = waveletBandEnergies([dwt(x, 'haar', 'periodic').approximation, dwt(x, 'haar', 'periodic').detail]);
    expect(bands[0]! + bands[1]!).toBeCloseTo(energy, 10);
  });

  it('rejects unknown wavelets, bad levels and empty input', () => {
    expect(() => waveletFilters('sym4' as WaveletName)).toThrow(/unknown wavelet/);
    expect(() => wavedec([1, 2, 3, 4], 'haar', { level: -1 })).toThrow(/level/);
    expect(() => dwt([], 'haar')).toThrow(/empty/);
  });
});
