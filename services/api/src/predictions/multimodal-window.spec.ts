import { resolve } from 'node:path';
import type { AudioChunk, ImageFrame } from '@vigil/contracts';
import type { AlignedWindow, TimedEvent } from '@vigil/detection';
import { mulberry32 } from '@vigil/features';
import { beforeAll, describe, expect, it } from 'vitest';
import { type LoadedMultimodalModel, MultimodalModelRepository } from './multimodal-model.repository';
import { multimodalWindow } from './multimodal-window';

const MODELS = resolve(__dirname, '..', '..', '..', '..', 'models');
const source = { topic: 'vigil.sensor.readings.v1', partition: 0, offset: '7' };

describe('a posted multimodal window', () => {
  let fused: LoadedMultimodalModel;
  beforeAll(async () => {
    fused = await new MultimodalModelRepository(MODELS, 'multimodal-pump').model();
  });

  it('gives the fused model the same inputs as the stream window it stands for', () => {
    const { shapes, windowMs, scorer } = fused;
    expect([fused.modelVersion, windowMs, shapes.audio.sampleRate, shapes.sensor.steps]).toEqual(['multimodal-pump@v1', 3000, 16000, 30]);
    const random = mulberry32(5);
    const rows = Array.from({ length: shapes.sensor.steps }, () => shapes.sensor.channels.map(() => 10 * random()));
    const samples = Float32Array.from({ length: 3 * shapes.audio.sampleRate }, () => Math.round((random() - 0.5) * 32767) / 32767);
    const pixels = Uint8Array.from({ length: 64 * 64 }, () => Math.floor(256 * random()));
    // What the detector's assembler would hold for device d at t0: readings at 10 Hz, one PCM16 chunk, one 64×64 frame.
    const t0 = 1_700_000_000_000;
    const stream: AlignedWindow = {
      deviceId: 'd',
      startMs: t0,
      endMs: t0 + windowMs,
      sensor: rows.map((row, i) => ({
        eventTimeMs: t0 + i * 100,
        value: { values: Object.fromEntries(shapes.sensor.channels.map((c, j) => [c, row[j]!])) },
        source,
      })),
      audio: [
        {
          eventTimeMs: t0,
          value: {
            deviceId: 'd',
            eventTimeMs: t0,
            seq: 1,
            sampleRate: 16000,
            channels: 1,
            encoding: 'PCM_S16LE',
            pcm: Buffer.from(Int16Array.from(samples, (s) => Math.round(s * 32767)).buffer),
          },
          source,
        } satisfies TimedEvent<AudioChunk>,
      ],
      image: [
        {
          eventTimeMs: t0 + 2000,
          value: { deviceId: 'd', eventTimeMs: t0 + 2000, seq: 1, width: 64, height: 64, channels: 1, encoding: 'RAW_U8', data: Buffer.from(pixels) },
          source,
        } satisfies TimedEvent<ImageFrame>,
      ],
      missing: [],
      carried: {},
      heldOffsets: new Map(),
    };
    const posted = multimodalWindow({ sensor: rows, audio: { samples, sampleRate: 16000 }, image: { pixels, width: 64, height: 64 } }, shapes, windowMs);
    const fromStream = scorer.frame(stream)!;
    const fromPost = scorer.frame(posted)!;
    expect(Object.keys(fromPost).sort()).toEqual(['audio', 'audio_present', 'image', 'image_present', 'sensor', 'sensor_present']);
    for (const name of Object.keys(fromStream)) {
      const a = fromStream[name]!;
      const b = fromPost[name]!;
      expect(b.length, name).toBe(a.length);
      let worst = 0;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
      expect(worst, name).toBeLessThan(1e-3);
    }
  });

  it('marks the modalities it was not given as missing, and resamples a clip to the model rate', () => {
    const { shapes, windowMs, scorer } = fused;
    const clip = { samples: new Float32Array(3 * 8000).fill(0.1), sampleRate: 8000 };
    const window = multimodalWindow({ audio: clip }, shapes, windowMs);
    expect(window.missing).toEqual(['SENSOR', 'IMAGE']);
    const inputs = scorer.frame(window)!;
    expect([inputs.sensor_present![0], inputs.audio_present![0], inputs.image_present![0]]).toEqual([0, 1, 0]);
    expect(inputs.audio!.length).toBe(shapes.audio.frames * shapes.audio.mels);
    expect(scorer.frame(multimodalWindow({}, shapes, windowMs))).toBeUndefined();
  });
});
