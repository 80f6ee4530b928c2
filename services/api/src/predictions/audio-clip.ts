/**
 * A posted audio clip → mono samples, and samples → the audio VAE's verdict. The clip is a WAV file (its own
 * sample rate and channels; several channels are mixed down) or headerless little-endian PCM (16-bit integers or
 * 32-bit floats, mono) with its sample rate; `scale` turns full-scale units into the model's (the CWRU model reads g). Features are the model's own: `logMelWindows` of @vigil/datasets with
 * the options stored in its manifest (the function it was trained with), resampled to its rate first. The clip's
 * score is its most anomalous log-mel context window; the root cause names that window's mel bands and frames.
 *
 * @example
 *   const { samples, sampleRate } = decodeAudioClip({ encoding: 'PCM_S16LE', sampleRate: 12000, data: base64 });
 *   const verdict = scoreClip(model, features, samples, sampleRate);
 */
import type { RootCauseSummary } from '@vigil/contracts';
import { decodeWav, logMelWindows, mixdown } from '@vigil/datasets';
import { explainSensorWindow } from '@vigil/detection';
import { decodePcm } from '@vigil/features';
import type { LogMelFeatureOptions, WindowModel } from '@vigil/ml';

export type AudioEncoding = 'WAV' | 'PCM_S16LE' | 'PCM_F32LE';

export interface AudioClip {
  encoding: AudioEncoding;
  /** Required for PCM; a WAV file carries its own. */
  sampleRate?: number;
  /** The bytes, base64. */
  data: string;
  /** Multiplies the decoded samples (full scale = 1) into the model's input units, e.g. a WAV's full-scale value in g. */
  scale?: number;
}

/** Longest clip scored in one request: ~2,800 context windows at the CWRU model's 94 frames/s. */
export const MAX_CLIP_SECONDS = 30;

/** Beyond this (after `scale`) the log-mel power leaves float32's range: such a clip is an encoding mistake. */
export const MAX_SAMPLE = 1e6;

/** A clip that cannot be scored; `field` is the request field to name in the 400. */
export class AudioClipError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'AudioClipError';
  }
}

export function decodeAudioClip(clip: AudioClip): { samples: Float32Array; sampleRate: number } {
  const bytes = Buffer.from(clip.data, 'base64');
  let samples: Float32Array;
  let sampleRate: number;
  if (clip.encoding === 'WAV') {
    try {
      const wav = decodeWav(bytes);
      samples = mixdown(wav);
      sampleRate = wav.sampleRate;
    } catch (err) {
      throw new AudioClipError('data', `not a PCM or float WAV file this API can read (${(err as Error).message})`);
    }
  } else {
    if (clip.sampleRate === undefined) throw new AudioClipError('sampleRate', `required for ${clip.encoding}`);
    samples = decodePcm(bytes, clip.encoding);
    sampleRate = clip.sampleRate;
  }
  const scale = clip.scale ?? 1;
  for (let i = 0; i < samples.length; i++) {
    if (!Number.isFinite(samples[i]!)) throw new AudioClipError('data', `sample ${i} is not a finite number`);
    if (scale !== 1) samples[i]! *= scale;
    if (Math.abs(samples[i]!) > MAX_SAMPLE) throw new AudioClipError('data', `sample ${i} is over ${MAX_SAMPLE} in magnitude (scaled)`);
  }
  if (samples.length > MAX_CLIP_SECONDS * sampleRate) throw new AudioClipError('data', `clip longer than ${MAX_CLIP_SECONDS} s`);
  return { samples, sampleRate };
}

export interface ClipVerdict {
  score: number;
  /** Log-mel context windows scored. */
  windows: number;
  /** Start of the most anomalous window in the clip, seconds. */
  peakAtSeconds: number;
  rootCause: RootCauseSummary;
}

/** Shortest clip that gives one context window, in seconds at its own rate (centred STFT: 1 + n / hop frames). */
export function minimumClipSeconds(features: LogMelFeatureOptions): number {
  return ((features.frames - 1) * features.hop) / features.sampleRate;
}

export function clipWindows(model: Pick<WindowModel, 'steps' | 'channels'>, features: LogMelFeatureOptions, samples: Float32Array, sampleRate: number) {
  const windows = logMelWindows(samples, sampleRate, {
    targetRate: features.sampleRate,
    nFft: features.nFft,
    hop: features.hop,
    nMels: features.nMels,
    frames: features.frames,
    frameHop: features.frameHop,
  });
  if (windows.batch === 0)
    throw new AudioClipError('data', `clip too short: at least ${(minimumClipSeconds(features) * 1000).toFixed(0)} ms are needed for one window`);
  if (windows.steps !== model.steps || windows.channels !== model.channels)
    throw new Error(`features give ${windows.steps}×${windows.channels} windows, the model reads ${model.steps}×${model.channels}`);
  return { data: windows.data, batch: windows.batch, steps: windows.steps, channels: windows.channels };
}

/** Every context window through the model in one pass; the clip's verdict is its worst window. */
export function scoreClip(model: WindowModel, features: LogMelFeatureOptions, samples: Float32Array, sampleRate: number): ClipVerdict {
  const windows = clipWindows(model, features, samples, sampleRate);
  const { scores, reconstruction } = model.assess(windows);
  let peak = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i]! > scores[peak]!) peak = i;
  const size = model.steps * model.channels;
  const frame = windows.data.subarray(peak * size, (peak + 1) * size);
  const recon = reconstruction.data.subarray(peak * size, (peak + 1) * size);
  const explained = explainSensorWindow(model, frame, recon);
  const peakAtSeconds = (peak * features.frameHop * features.hop) / features.sampleRate;
  return {
    score: scores[peak]!,
    windows: windows.batch,
    peakAtSeconds,
    rootCause: {
      ...explained,
      summary: `The clip's most anomalous window starts at ${peakAtSeconds.toFixed(2)} s (of ${windows.batch} scored). ${explained.summary}`,
      modalityShares: { AUDIO: 1 },
    },
  };
}
