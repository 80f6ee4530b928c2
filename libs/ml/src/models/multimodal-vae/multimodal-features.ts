/**
 * From a window's raw events to the multimodal VAE's inputs (the sensor frame comes from `sensorFrame` in
 * @vigil/detection, which interpolates readings onto the model's steps):
 *
 * - `audioLogMelFrames`: the window's samples → `[frames][mels]` log-mel dB, the hop chosen so the window gives
 *   exactly `frames` frames (librosa conventions: centred Hann STFT, Slaney mel, power_to_db without top-dB).
 * - `downsampleImage`: a RAW frame `[h][w][c]` → `[outH][outW][c]` by block averaging (integer factors).
 *
 * @example
 *   const audio = audioLogMelFrames(samples, 16000, { frames: 24, mels: 32 });
 *   const image = downsampleImage(frame.data, 64, 64, 1, 32, 32);
 */
import { logMelSpectrogram } from '@vigil/features';

export interface LogMelFrameOptions {
  frames: number;
  mels: number;
  /** FFT size; default the power of two at or above twice the hop (at least 256). */
  nFft?: number;
  fMin?: number;
  fMax?: number;
}

export function audioLogMelFrames(samples: Float32Array, sampleRate: number, options: LogMelFrameOptions): Float32Array {
  const { frames, mels } = options;
  const hop = Math.max(1, Math.floor(samples.length / frames));
  const nFft = options.nFft ?? Math.max(256, 2 ** Math.ceil(Math.log2(2 * hop)));
  const spectrogram = logMelSpectrogram(samples, { sampleRate, nFft, hop, nMels: mels, fMin: options.fMin ?? 0, fMax: options.fMax ?? sampleRate / 2, topDb: null });
  const out = new Float32Array(frames * mels);
  for (let t = 0; t < frames; t++) {
    // Centred framing gives one frame more than samples / hop; a short window repeats its last frame.
    const source = Math.min(t, spectrogram.frames - 1);
    out.set(spectrogram.data.subarray(source * mels, (source + 1) * mels), t * mels);
  }
  return out;
}

export function downsampleImage(pixels: ArrayLike<number>, width: number, height: number, channels: number, outHeight: number, outWidth: number): Float32Array {
  if (width % outWidth !== 0 || height % outHeight !== 0) {
    throw new RangeError(`image ${width}×${height} does not divide into ${outWidth}×${outHeight} blocks`);
  }
  if (pixels.length !== width * height * channels) throw new RangeError(`image has ${pixels.length} values, ${width}×${height}×${channels} expected`);
  const fy = height / outHeight;
  const fx = width / outWidth;
  const out = new Float32Array(outHeight * outWidth * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const target = (Math.floor(y / fy) * outWidth + Math.floor(x / fx)) * channels;
      const source = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) out[target + c]! += pixels[source + c]!;
    }
  }
  const area = fx * fy;
  for (let i = 0; i < out.length; i++) out[i]! /= area;
  return out;
}

/** One frame at a time, for overlapping windows (bit-identical to `audioLogMelFrames`): in @vigil/features so a worker thread framing sound loads no tfjs. */
export { LogMelFramer } from '@vigil/features';
