import { resolve } from 'node:path';
import type { AudioChunk } from '@vigil/contracts';
import { audioClipScoringModel, AUDIO_CLIP_INPUT, loadWindowModel, type LogMelFeatureOptions } from '@vigil/ml';
import { describe, expect, it } from 'vitest';
import type { AlignedWindow, TimedEvent } from '../windows/types';
import { audioWindowScorer, windowAudioSamples } from './audio-scorer';

const MODEL_DIR = resolve(__dirname, '..', '..', '..', '..', 'models', 'mimii-pump-audio-vae', 'v1');
const SOURCE = { topic: 't', partition: 0, offset: '0' };
const RATE = 1000;

/** A chunk of `seconds` at `rate` whose samples are `value(i)` for its own sample index. */
function chunk(startMs: number, seconds: number, value: (i: number) => number, rate = RATE): TimedEvent<AudioChunk> {
  const pcm = Buffer.alloc(4 * Math.round(seconds * rate));
  for (let i = 0; i < pcm.length / 4; i++) pcm.writeFloatLE(value(i), 4 * i);
  return {
    eventTimeMs: startMs,
    source: SOURCE,
    value: { deviceId: 'd', eventTimeMs: startMs, seq: 0, sampleRate: rate, channels: 1, encoding: 'PCM_F32LE', pcm },
  };
}

function window(audio: TimedEvent<AudioChunk>[], leading?: TimedEvent<AudioChunk>, startMs = 10_000, endMs = 13_000): AlignedWindow {
  return {
    deviceId: 'd',
    startMs,
    endMs,
    sensor: [],
    audio,
    image: [],
    missing: [],
    carried: {},
    heldOffsets: new Map(),
    ...(leading ? { leading: { AUDIO: leading } } : {}),
  };
}

describe('windowAudioSamples', () => {
  it('places the chunk begun before the window and the window’s own chunks at their sample offsets', () => {
    const leading = chunk(9_500, 1, (i) => 1 + i / 1000); // covers 10.0–10.5 s with its second half
    const own = [chunk(10_500, 1, () => 2), chunk(11_500, 1.5, () => 3)];
    const samples = windowAudioSamples(window(own, leading), RATE)!;
    expect(samples.length).toBe(3000);
    expect(samples[0]).toBeCloseTo(1.5, 6);
    expect(samples[499]).toBeCloseTo(1.999, 6);
    expect(samples[500]).toBe(2);
    expect(samples[1499]).toBe(2);
    expect(samples[1500]).toBe(3);
    expect(samples[2999]).toBe(3);
  });

  it('conceals a gap of up to 35 % with the sound beside it, calls a longer one missing, and leaves out chunks of another sample rate', () => {
    // 50 ms missing at 1.0 s: mirrored from both sides and cross-faded at equal power.
    const concealed = windowAudioSamples(window([chunk(10_000, 1, (i) => i), chunk(11_050, 1.95, (i) => 2000 + i)]), RATE)!;
    expect(concealed[1000]).toBeCloseTo(Math.cos(Math.PI / 200) * 999 + Math.sin(Math.PI / 200) * 2049, 3);
    expect(concealed[1049]).toBeCloseTo(Math.cos((Math.PI / 2) * (49.5 / 50)) * 950 + Math.sin((Math.PI / 2) * (49.5 / 50)) * 2000, 3);
    expect(windowAudioSamples(window([chunk(10_000, 1, () => 1), chunk(12_100, 0.9, () => 1)]), RATE)).toBeUndefined(); // 1.1 s of 3
    // Two gaps with no sound of their length beside them: missing.
    expect(windowAudioSamples(window([chunk(10_300, 0.2, () => 1), chunk(10_800, 1.7, () => 1)]), RATE)).toBeUndefined();
    expect(windowAudioSamples(window([chunk(10_000, 3, () => 1, 2000)]), RATE)).toBeUndefined();
    expect(windowAudioSamples(window([chunk(10_000, 3, () => 1)]), RATE)).toBeDefined();
  });
});

describe('audioWindowScorer', () => {
  const features: LogMelFeatureOptions = { sampleRate: 16000, nFft: 1024, hop: 512, nMels: 128, frames: 5, frameHop: 1 };

  it('frames a covered window as the model’s clip input and scores it; a window of another length is not scored', async () => {
    const { model } = await loadWindowModel(MODEL_DIR);
    const clipModel = audioClipScoringModel(model, features, 48_000);
    const scorer = audioWindowScorer(clipModel);
    const tone = (i: number) => 0.1 * Math.sin((2 * Math.PI * 440 * i) / 16000);
    const inputs = scorer.frame(window([chunk(10_000, 3, tone, 16000)]))!;
    expect(inputs[AUDIO_CLIP_INPUT]!.length).toBe(clipModel.contexts * 5 * 128);
    const { scores } = clipModel.assess({ batch: 1, inputs });
    expect(Number.isFinite(scores[0])).toBe(true);
    expect(scorer.frame(window([chunk(10_000, 2, tone, 16000)], undefined, 10_000, 12_000))).toBeUndefined();
    clipModel.dispose?.();
  });

  it('names the mel band the model reconstructs worst, with its frequencies', async () => {
    const { model } = await loadWindowModel(MODEL_DIR);
    const clipModel = audioClipScoringModel(model, features, 48_000);
    const size = clipModel.contexts * 5 * 128;
    const x = new Float32Array(size);
    const recon = new Float32Array(size);
    for (let i = 0; i < size; i++) if (i % 128 === 40) recon[i] = 6; // band 40 off by 6 dB everywhere
    for (let i = 0; i < size; i++) if (i % 128 === 90) recon[i] = 2;
    const [summary] = audioWindowScorer(clipModel).explain(
      [{ inputs: { [AUDIO_CLIP_INPUT]: x }, reconstruction: { [AUDIO_CLIP_INPUT]: recon }, mean: new Float32Array(8), logVar: new Float32Array(8) }],
      0,
    );
    expect(summary!.topChannels[0]!.name).toBe('mel_40 (935 Hz–982 Hz)'); // Slaney mel edges 40 and 42 of 129 up to 8 kHz: 14.03 and 14.73 mel, under 1 kHz linear;
    expect(summary!.topChannels[0]!.share).toBeCloseTo(0.9, 6);
    expect(summary!.topChannels[1]!.name).toMatch(/^mel_90 /);
    expect(summary!.modalityShares).toEqual({ AUDIO: 1 });
    expect(summary!.summary).toBe('Sound anomaly, strongest in the 935 Hz–982 Hz band (90 % of the reconstruction error).');
    clipModel.dispose?.();
  });
});
