/**
 * A posted multimodal window as the detector's `AlignedWindow`, so the fused model's own frame builder
 * (`multimodalWindowScorer(...).frame`, libs/detection) turns it into model inputs exactly as it does for the
 * stream: sensor rows become readings spread evenly over the window (interpolated onto the model's steps),
 * the clip becomes one PCM chunk at the window's start (resampled to the model's rate first), the frame one
 * RAW_U8 image at the window's end. Modalities left out are missing, as in a window without them.
 *
 * @example
 *   const window = multimodalWindow({ sensor: rows, audio: { samples, sampleRate: 16000 } }, shapes, 3000);
 *   const inputs = scorer.frame(window);
 */
import type { AudioChunk, ImageFrame } from '@vigil/contracts';
import { toSampleRate } from '@vigil/datasets';
import { type AlignedWindow, alignedWindow, type MultimodalFrameShapes, type TimedEvent } from '@vigil/detection';

export interface MultimodalParts {
  /** `[rows][channels]` in the fused model's channel order, spread evenly over the window. */
  sensor?: readonly (readonly number[])[];
  audio?: { samples: Float32Array; sampleRate: number };
  /** Greyscale (or `shapes.image.channels`) pixels, row-major, with dimensions that divide into the model's. */
  image?: { pixels: Uint8Array; width: number; height: number };
}

/** Events built here come from no topic: a constant source keeps the window's shape honest. */
const SOURCE = { topic: 'api', partition: 0, offset: '0' };

export function multimodalWindow(parts: MultimodalParts, shapes: MultimodalFrameShapes, windowMs: number, deviceId = 'prediction'): AlignedWindow {
  const sensor: TimedEvent<{ values: Record<string, number> }>[] = (parts.sensor ?? []).map((row, i, rows) => ({
    eventTimeMs: (i * windowMs) / rows.length,
    value: { values: Object.fromEntries(shapes.sensor.channels.map((name, c) => [name, row[c]!])) },
    source: SOURCE,
  }));
  const audio: TimedEvent<AudioChunk>[] = [];
  if (parts.audio) {
    const samples = toSampleRate(parts.audio.samples, parts.audio.sampleRate, shapes.audio.sampleRate);
    const chunk: AudioChunk = {
      deviceId,
      eventTimeMs: 0,
      seq: 0,
      sampleRate: shapes.audio.sampleRate,
      channels: 1,
      encoding: 'PCM_F32LE',
      pcm: Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength),
    };
    audio.push({ eventTimeMs: 0, value: chunk, source: SOURCE });
  }
  const image: TimedEvent<ImageFrame>[] = [];
  if (parts.image) {
    const { pixels, width, height } = parts.image;
    const data = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength);
    const frame: ImageFrame = { deviceId, eventTimeMs: windowMs - 1, seq: 0, width, height, channels: shapes.image.channels, encoding: 'RAW_U8', data };
    image.push({ eventTimeMs: windowMs - 1, value: frame, source: SOURCE });
  }
  const missing = (['SENSOR', 'AUDIO', 'IMAGE'] as const).filter((m) => ({ SENSOR: sensor, AUDIO: audio, IMAGE: image })[m].length === 0);
  return alignedWindow(deviceId, 0, windowMs, { sensor, audio, image, missing });
}

/** Samples the window's audio must hold for the fused model to count the clip (its 90 % coverage rule), at the clip's rate. */
export function minimumWindowSamples(windowMs: number, sampleRate: number): number {
  return Math.ceil(0.9 * (windowMs / 1000) * sampleRate);
}
