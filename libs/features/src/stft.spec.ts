import { describe, expect, it } from 'vitest';
import { expectAllClose, loadFixture } from './fixture';
import { spectrogram, stft, type StftOptions } from './stft';

interface StftFixture {
  x: number[];
  stft: { options: StftOptions; frames: number; bins: number; re: number[]; im: number[] }[];
}
const fixture = loadFixture<StftFixture>('spectral');

describe('stft matches librosa.stft (transposed to [frames][bins])', () => {
  it.each(fixture.stft.map((c) => [JSON.stringify(c.options), c] as const))('%s', (_name, c) => {
    const out = stft(fixture.x, c.options);
    expect([out.frames, out.bins]).toEqual([c.frames, c.bins]);
    expectAllClose(out.re, c.re, 1e-10, 1e-9);
    expectAllClose(out.im, c.im, 1e-10, 1e-9);
  });

  it('spectrogram is |STFT|^power', () => {
    const c = fixture.stft[0]!;
    const power = c.re.map((r, i) => r * r + c.im[i]! * c.im[i]!);
    const spec = spectrogram(fixture.x, { ...c.options });
    expectAllClose(spec.data, power, 1e-6, 1e-6);
    expectAllClose(spectrogram(fixture.x, { ...c.options, power: 1 }).data, power.map(Math.sqrt), 1e-6, 1e-6);
  });

  it('rejects a signal shorter than one frame and bad options', () => {
    expect(() => stft([1, 2, 3], { nFft: 8, center: false })).toThrow(/shorter than one frame/);
    expect(() => stft([1, 2, 3], { nFft: 8, padMode: 'reflect' })).toThrow(/reflect padding/);
    expect(() => stft(fixture.x, { nFft: 16, hop: 0 })).toThrow(/hop/);
    expect(() => stft(fixture.x, { nFft: 16, winLength: 32 })).toThrow(/winLength/);
  });
});
