/**
 * From decoded audio to model input: resample to a target rate (polyphase, scipy's resample_poly) and log-mel
 * context windows `[batch][frames][mels]`. Defaults follow the DCASE 2020 Task 2 baseline for MIMII:
 * 16 kHz, nFft 1024, hop 512, 128 mels, power 2, 5 stacked frames, hop 1 frame. The dB scale is librosa's
 * power_to_db (amin 1e-10, no top-dB clipping, so clips stay comparable); the baseline's
 * 10·log10(S + ε) differs from it only for near-silent bins.
 *
 * @example
 *   const { samples, sampleRate } = await loadMimiiClip(clip);
 *   const windows = logMelWindows(samples, sampleRate);               // { data, batch, steps: 5, channels: 128 }
 *   const at8k = toSampleRate(samples, sampleRate, 8000);
 */
import { type FrameBatch, logMelContextWindows, resample } from '@vigil/features';

export interface LogMelWindowOptions {
  /** Resample to this rate first when it differs. Default 16000. */
  targetRate?: number;
  nFft?: number;
  hop?: number;
  nMels?: number;
  fMin?: number;
  fMax?: number;
  /** Log-mel frames per window. Default 5. */
  frames?: number;
  /** Frames between window starts. Default 1. */
  frameHop?: number;
}

export const DCASE_LOG_MEL: Readonly<Required<Omit<LogMelWindowOptions, 'fMax'>>> = {
  targetRate: 16000,
  nFft: 1024,
  hop: 512,
  nMels: 128,
  fMin: 0,
  frames: 5,
  frameHop: 1,
};

/** The samples at `toRate` (a copy-free pass-through when the rates match). */
export function toSampleRate(samples: Float32Array, fromRate: number, toRate: number): Float32Array {
  return fromRate === toRate ? samples : Float32Array.from(resample(samples, fromRate, toRate));
}

export function logMelWindows(samples: Float32Array, sampleRate: number, options: LogMelWindowOptions = {}): FrameBatch & { sampleRate: number } {
  const o = { ...DCASE_LOG_MEL, ...options };
  const audio = toSampleRate(samples, sampleRate, o.targetRate);
  const windows = logMelContextWindows(audio, {
    sampleRate: o.targetRate,
    nFft: o.nFft,
    hop: o.hop,
    nMels: o.nMels,
    fMin: o.fMin,
    fMax: options.fMax ?? o.targetRate / 2,
    frames: o.frames,
    frameHop: o.frameHop,
  });
  return { ...windows, sampleRate: o.targetRate };
}
