import { describe, expect, it } from 'vitest';
import { expectAllClose, loadFixture } from './fixture';
import { hzToMel, logMelSpectrogram, melFilterbank, melSpectrogram, melToHz, powerToDb, type MelOptions } from './mel';

interface MelFixture {
  banks: { options: MelOptions; weights: number[] }[];
  hzToMel: { hz: number[]; slaney: number[]; htk: number[] };
  melSpectrogram: { x: number[]; options: { sampleRate: number; nFft: number; hop: number; nMels: number }; frames: number; mel: number[]; logMel: number[] };
}
const fixture = loadFixture<MelFixture>('mel');

describe('mel scale matches librosa.hz_to_mel', () => {
  it.each(fixture.hzToMel.hz.map((hz, i) => [hz, fixture.hzToMel.slaney[i]!, fixture.hzToMel.htk[i]!]))('%f Hz', (hz, slaney, htk) => {
    expect(hzToMel(hz)).toBeCloseTo(slaney, 10);
    expect(hzToMel(hz, true)).toBeCloseTo(htk, 10);
    expect(melToHz(hzToMel(hz))).toBeCloseTo(hz, 8);
    expect(melToHz(hzToMel(hz, true), true)).toBeCloseTo(hz, 8);
  });
});

describe('melFilterbank matches librosa.filters.mel', () => {
  it.each(fixture.banks.map((b) => [b.options.htk ? 'HTK, no norm' : 'Slaney, slaney norm', b] as const))('%s', (_name, b) => {
    const bank = melFilterbank(b.options);
    expect(bank.mels * bank.bins).toBe(b.weights.length);
    expectAllClose(bank.weights, b.weights, 1e-12, 1e-9);
  });

  it('rejects an impossible frequency range', () => {
    expect(() => melFilterbank({ sampleRate: 16000, nFft: 512, fMin: 9000 })).toThrow(RangeError);
  });
});

describe('mel and log-mel spectrograms match librosa', () => {
  const { x, options, frames, mel, logMel } = fixture.melSpectrogram;
  it('melspectrogram (power 2, centred, zero padding)', () => {
    const out = melSpectrogram(x, options);
    expect(out.frames).toBe(frames);
    expectAllClose(out.data, mel, 1e-9, 1e-5);
  });

  it('power_to_db with ref 1, amin 1e-10, top_db 80', () => {
    const out = logMelSpectrogram(x, options);
    expectAllClose(out.data, logMel, 1e-3);
  });

  it('powerToDb floors, references and clips', () => {
    expect(Array.from(powerToDb([100, 1, 0], { topDb: null }))).toEqual([20, 0, -100]);
    expect(Array.from(powerToDb([100, 1, 0], { topDb: 30 }))).toEqual([20, 0, -10]);
    expect(Array.from(powerToDb([100, 10], { ref: 10, topDb: null }))).toEqual([10, 0]);
  });
});
