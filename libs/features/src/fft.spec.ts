import { describe, expect, it } from 'vitest';
import { fft, ifft, magnitudeSpectrum, powerSpectrum, rfft, rfftFrequencies, rfftPowerInto } from './fft';
import { expectAllClose, loadFixture } from './fixture';
import { windowFunction, type WindowName } from './window';

interface SpectralFixture {
  rfft: { x: number[]; n: number; re: number[]; im: number[] }[];
  fft: { re: number[]; im: number[]; outRe: number[]; outIm: number[] }[];
  windows: { name: WindowName; length: number; periodic: number[]; symmetric: number[] }[];
}
const fixture = loadFixture<SpectralFixture>('spectral');

describe('rfft matches numpy.fft.rfft', () => {
  it.each(fixture.rfft.map((c) => [c.x.length, c.n, c] as const))('length %i, n = %i', (_length, n, c) => {
    const { re, im } = rfft(c.x, n);
    expectAllClose(re, c.re, 1e-9, 1e-9);
    expectAllClose(im, c.im, 1e-9, 1e-9);
  });

  it('powerSpectrum and magnitudeSpectrum are |X|² and |X|', () => {
    const c = fixture.rfft.find((r) => r.x.length === 100)!;
    const expected = c.re.map((r, k) => r * r + c.im[k]! * c.im[k]!);
    expectAllClose(powerSpectrum(c.x), expected, 1e-8, 1e-9);
    expectAllClose(magnitudeSpectrum(c.x), expected.map(Math.sqrt), 1e-9, 1e-9);
  });
});

describe('fft matches numpy.fft.fft and inverts', () => {
  it.each(fixture.fft.map((c) => [c.re.length, c] as const))('complex length %i', (_n, c) => {
    const out = fft(c.re, c.im);
    expectAllClose(out.re, c.outRe, 1e-9, 1e-9);
    expectAllClose(out.im, c.outIm, 1e-9, 1e-9);
    const back = ifft(out.re, out.im);
    expectAllClose(back.re, c.re, 1e-12);
    expectAllClose(back.im, c.im, 1e-12);
  });

  it('finds a pure tone in its bin at any length', () => {
    for (const n of [64, 60, 97]) {
      const tone = Float64Array.from({ length: n }, (_, t) => Math.cos((2 * Math.PI * 5 * t) / n));
      const power = powerSpectrum(tone);
      expect(power.indexOf(Math.max(...power))).toBe(5);
      expect(power[5]).toBeCloseTo((n / 2) ** 2, 6);
    }
  });

  it('rejects empty input and bad lengths', () => {
    expect(() => fft([])).toThrow(/empty/);
    expect(() => rfft([1, 2], 0)).toThrow(/positive integer/);
    expect(Array.from(rfftFrequencies(8, 16000))).toEqual([0, 2000, 4000, 6000, 8000]);
  });
});

describe('windowFunction matches scipy.signal.get_window', () => {
  it.each(fixture.windows.map((w) => [w.name, w.length, w] as const))('%s, length %i', (name, length, w) => {
    expectAllClose(windowFunction(name, length), w.periodic, 1e-15);
    expectAllClose(windowFunction(name, length, 'symmetric'), w.symmetric, 1e-15);
  });
});

describe('rfftPowerInto', () => {
  it('fills |rfft(x)|² (float32) into the buffer it is given, for power-of-two and other lengths', () => {
    for (const n of [8, 4096, 12]) {
      const x = Float64Array.from({ length: n }, (_, i) => Math.sin(0.7 * i) + 0.1 * i);
      const out = new Float32Array(n / 2 + 1);
      expect(rfftPowerInto(x, out)).toBe(out);
      expect(out).toEqual(Float32Array.from(powerSpectrum(x)));
    }
    expect(() => rfftPowerInto(new Float64Array(8), new Float32Array(4))).toThrow(RangeError);
  });
});
