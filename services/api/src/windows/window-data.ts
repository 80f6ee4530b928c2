/**
 * Pure shaping of one window's raw events into what the drill-down draws: the sensor frame (built by the
 * detector's own `sensorFrame`) and its reconstruction as one series per channel, the window's audio samples
 * from the chunks that overlap it, and the camera frame the window saw (its own latest, or the latest before it
 * while not overdue), as the vision model's grey input in [0, 1].
 *
 * @example
 *   const channels = channelSeries(frame.data, recon, model.channelNames, model.steps);
 *   const samples = windowSamples(chunks, startMs, endMs, 16000);
 */
import type { AudioChunk, ImageFrame } from '@vigil/contracts';
import { decodePcm } from '@vigil/features';
import { downsampleImage } from '@vigil/ml';

export interface ChannelSeries {
  name: string;
  values: number[];
  reconstruction: number[];
}

/** `[steps][channels]` row-major frames as one `{ values, reconstruction }` per channel. */
export function channelSeries(frame: ArrayLike<number>, reconstruction: ArrayLike<number>, channelNames: readonly string[], steps: number): ChannelSeries[] {
  const channels = channelNames.length;
  if (frame.length !== steps * channels || reconstruction.length !== steps * channels) {
    throw new RangeError(`frame ${frame.length} / reconstruction ${reconstruction.length} values, ${steps}×${channels} expected`);
  }
  return channelNames.map((name, c) => ({
    name,
    values: Array.from({ length: steps }, (_, s) => frame[s * channels + c]!),
    reconstruction: Array.from({ length: steps }, (_, s) => reconstruction[s * channels + c]!),
  }));
}

/** The instant each step of a frame samples (the start of the step, as `sensorFrame` samples it). */
export function stepTimes(startMs: number, endMs: number, steps: number): number[] {
  const stepMs = (endMs - startMs) / steps;
  return Array.from({ length: steps }, (_, s) => startMs + s * stepMs);
}

/**
 * The window's mono samples at `sampleRate` from the chunks that overlap it (other rates or channel counts are
 * skipped, as the detector skips them), and the share of the window they cover.
 */
export function windowSamples(chunks: readonly AudioChunk[], startMs: number, endMs: number, sampleRate: number): { samples: Float32Array; coverage: number } {
  const length = Math.round(((endMs - startMs) / 1000) * sampleRate);
  const samples = new Float32Array(length);
  let covered = 0;
  for (const chunk of chunks) {
    if (chunk.sampleRate !== sampleRate || chunk.channels !== 1) continue;
    const pcm = decodePcm(chunk.pcm, chunk.encoding);
    const offset = Math.round(((chunk.eventTimeMs - startMs) / 1000) * sampleRate);
    for (let i = Math.max(0, -offset); i < pcm.length && offset + i < length; i++) {
      samples[offset + i] = pcm[i]!;
      covered++;
    }
  }
  return { samples, coverage: length === 0 ? 0 : Math.min(1, covered / length) };
}

/** The frame a window at [startMs, endMs) scores: its latest own frame, else the latest earlier one younger than `overdueMs`. */
export function windowFrame(frames: readonly ImageFrame[], startMs: number, endMs: number, overdueMs: number): ImageFrame | undefined {
  let best: ImageFrame | undefined;
  for (const f of frames) if (f.eventTimeMs < endMs && (!best || f.eventTimeMs > best.eventTimeMs)) best = f;
  if (!best) return undefined;
  return best.eventTimeMs >= startMs || endMs - best.eventTimeMs <= overdueMs ? best : undefined;
}

/**
 * A RAW_U8 frame as the vision model's input `[height][width][channels]` in [0, 1], block-averaged when it is a
 * multiple of the model's size; undefined for encodings or sizes the model cannot take.
 */
export function frameInput(frame: ImageFrame, height: number, width: number, channels: number): Float32Array | undefined {
  if (frame.encoding !== 'RAW_U8' || frame.channels !== channels) return undefined;
  if (frame.width % width !== 0 || frame.height % height !== 0) return undefined;
  const pixels = downsampleImage(frame.data, frame.width, frame.height, channels, height, width);
  for (let i = 0; i < pixels.length; i++) pixels[i] = pixels[i]! / 255;
  return pixels;
}

/** Row-major `[rows][cols]` values as rows, rounded to `digits` decimals (the answer is JSON). */
export function rows(data: ArrayLike<number>, cols: number, digits = 4): number[][] {
  const f = 10 ** digits;
  const out: number[][] = [];
  for (let r = 0; r * cols < data.length; r++) out.push(Array.from({ length: cols }, (_, c) => Math.round(data[r * cols + c]! * f) / f));
  return out;
}

/**
 * Non-finite values (the dB of digital silence is −∞, which JSON cannot carry) raised to the smallest finite one,
 * in place; all-non-finite data becomes 0.
 */
export function floorNonFinite(data: Float32Array): Float32Array {
  let min = Infinity;
  for (const v of data) if (Number.isFinite(v) && v < min) min = v;
  const floor = Number.isFinite(min) ? min : 0;
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) data[i] = floor;
  return data;
}
