import { describe, expect, it } from 'vitest';
import { expectAllClose, loadFixture } from './fixture';
import { kaiserLowPass, resample, resamplePoly } from './resample';

interface ResampleFixture {
  cases: { x: number[]; up: number; down: number; y: number[] }[];
  firwin: { numtaps: number; cutoff: number; taps: number[] };
}
const fixture = loadFixture<ResampleFixture>('resample');

describe('resamplePoly matches scipy.signal.resample_poly', () => {
  it.each(fixture.cases.map((c) => [c.x.length, c.up, c.down, c] as const))('%i samples × %i / %i', (_n, up, down, c) => {
    expectAllClose(resamplePoly(c.x, up, down), c.y, 1e-10, 1e-9);
  });

  it('designs the same Kaiser low-pass as scipy.signal.firwin', () => {
    const { numtaps, cutoff, taps } = fixture.firwin;
    expectAllClose(kaiserLowPass(numtaps, cutoff), taps, 1e-14);
  });

  it('keeps a low tone and removes one above the new Nyquist when decimating 48 kHz → 12 kHz', () => {
    const tone = (hz: number) => Float64Array.from({ length: 4800 }, (_, i) => Math.sin((2 * Math.PI * hz * i) / 48000));
    const rms = (x: Float64Array) => Math.sqrt(x.slice(100, -100).reduce((s, v) => s + v * v, 0) / (x.length - 200));
    expect(resample(tone(1000), 48000, 12000)).toHaveLength(1200);
    expect(rms(resample(tone(1000), 48000, 12000))).toBeCloseTo(Math.SQRT1_2, 2);
    expect(rms(resample(tone(9000), 48000, 12000))).toBeLessThan(0.01);
  });

  it('returns a copy for equal rates and rejects non-integer factors', () => {
    expect(Array.from(resample([1, 2, 3], 16000, 16000))).toEqual([1, 2, 3]);
    expect(() => resamplePoly([1], 1.5, 1)).toThrow(/positive integers/);
  });
});
