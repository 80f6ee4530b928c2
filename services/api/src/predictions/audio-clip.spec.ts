import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { encodeWav, hasDataDir, loadCwruIndex, loadCwruSignal, resolveDataDir } from '@vigil/datasets';
import { mulberry32 } from '@vigil/features';
import { beforeAll, describe, expect, it } from 'vitest';
import { AudioClipError, decodeAudioClip, minimumClipSeconds, scoreClip } from './audio-clip';
import { AudioModelRepository, type LoadedAudioModel } from './audio-model.repository';

const MODELS = resolve(__dirname, '..', '..', '..', '..', 'models');

function noise(n: number, seed: number, amplitude = 0.1): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: n }, () => amplitude * (2 * random() - 1));
}

function pcm16(samples: Float32Array): string {
  const ints = Int16Array.from(samples, (s) => Math.round(s * 32767));
  return Buffer.from(ints.buffer).toString('base64');
}

describe('decodeAudioClip', () => {
  it('reads the same samples from PCM16 and from a 16-bit WAV, and floats from PCM_F32LE', () => {
    const samples = noise(1200, 1);
    const fromPcm = decodeAudioClip({ encoding: 'PCM_S16LE', sampleRate: 12000, data: pcm16(samples) });
    const wav = Buffer.from(encodeWav([samples], { sampleRate: 8000, bitsPerSample: 16 })).toString('base64');
    const fromWav = decodeAudioClip({ encoding: 'WAV', data: wav });
    expect(fromPcm.sampleRate).toBe(12000);
    expect(fromWav.sampleRate).toBe(8000);
    expect(fromWav.samples.length).toBe(1200);
    for (let i = 0; i < samples.length; i++) expect(fromWav.samples[i]).toBeCloseTo(fromPcm.samples[i]!, 4);
    const floats = decodeAudioClip({ encoding: 'PCM_F32LE', sampleRate: 16000, data: Buffer.from(samples.buffer).toString('base64') });
    expect(Array.from(floats.samples)).toEqual(Array.from(samples));
  });

  it('names the field of a clip it cannot read', () => {
    const fail = (clip: Parameters<typeof decodeAudioClip>[0]) => {
      try {
        decodeAudioClip(clip);
      } catch (err) {
        return err instanceof AudioClipError ? `${err.field}: ${err.message}` : String(err);
      }
      return 'decoded';
    };
    expect(fail({ encoding: 'PCM_S16LE', data: 'AAAA' })).toMatch(/^sampleRate: required/);
    expect(fail({ encoding: 'WAV', data: Buffer.from('not a wav file').toString('base64') })).toMatch(/^data: not a PCM or float WAV/);
    expect(fail({ encoding: 'PCM_F32LE', sampleRate: 8000, data: Buffer.from(Float32Array.of(0, Number.NaN).buffer).toString('base64') })).toMatch(
      /^data: sample 1 is not a finite number/,
    );
    expect(fail({ encoding: 'PCM_S16LE', sampleRate: 1000, data: Buffer.alloc(2 * 31_000).toString('base64') })).toMatch(/longer than 30 s/);
  });
});

describe('scoreClip with the registry audio VAE', () => {
  let audio: LoadedAudioModel;
  beforeAll(async () => {
    audio = await new AudioModelRepository(MODELS, 'cwru-bearing-audio-vae').model();
  });

  it('scores every context window of a clip and explains its worst one in mel bands', () => {
    expect(audio.modelVersion).toBe('cwru-bearing-audio-vae@v1');
    const samples = noise(6000, 2);
    const verdict = scoreClip(audio.model, audio.features, samples, 12000);
    // 1 + 6000/128 centred frames, 8 per window, hop 1.
    expect(verdict.windows).toBe(Math.floor(6000 / 128) + 1 - 7);
    expect(Number.isFinite(verdict.score)).toBe(true);
    expect(verdict.rootCause.topChannels[0]!.name).toMatch(/^mel_\d\d$/);
    expect(verdict.rootCause.modalityShares).toEqual({ AUDIO: 1 });
    expect(verdict.peakAtSeconds).toBeGreaterThanOrEqual(0);
    expect(verdict.peakAtSeconds).toBeLessThan(0.5);
  });

  it('resamples a clip at another rate to the model rate, and refuses one too short for a window', () => {
    const at24k = scoreClip(audio.model, audio.features, noise(12000, 3), 24000);
    expect(at24k.windows).toBe(Math.floor(6000 / 128) + 1 - 7);
    const short = Math.floor(minimumClipSeconds(audio.features) * 12000) - 200;
    expect(() => scoreClip(audio.model, audio.features, noise(short, 4), 12000)).toThrow(/clip too short: at least 75 ms/);
  });

  describe.skipIf(!hasDataDir('cwru/normal'))('on CWRU recordings (skipped without ../shared/data/cwru)', () => {
    /** One second of a recording as a client would post it: the WAV's bytes with its full-scale value in g. */
    const second = async (file: string, fromEnd: boolean) => {
      const recording = (await loadCwruIndex()).find((r) => r.file === file)!;
      const wav = decodeAudioClip({ encoding: 'WAV', data: (await readFile(join(resolveDataDir(), 'cwru', file))).toString('base64'), scale: recording.peakG });
      const { signal } = await loadCwruSignal(recording);
      expect(wav.samples[1000]).toBeCloseTo(signal[1000]!, 4);
      return fromEnd ? wav.samples.subarray(wav.samples.length - 12000) : wav.samples.subarray(0, 12000);
    };

    it('puts the held-out end of the healthy recording under the threshold and an inner-race fault far over it', async () => {
      const healthy = scoreClip(audio.model, audio.features, await second('normal/normal_0hp_97_DE_12k.wav', true), 12000);
      const fault = scoreClip(audio.model, audio.features, await second('inner_race_0.007in/IR007_0hp_105_DE_12k.wav', false), 12000);
      expect(fault.score).toBeGreaterThan(3 * audio.threshold);
      expect(healthy.score).toBeLessThan(fault.score / 3);
    });
  });
});
