/**
 * Mel filterbank and log-mel spectrogram, matching librosa.filters.mel / librosa.feature.melspectrogram /
 * librosa.power_to_db. Default scale is Slaney's (linear below 1 kHz, logarithmic above; librosa's default,
 * `htk: false`) with Slaney area normalisation (`norm: 'slaney'`: each triangle integrates to the same area);
 * `htk: true` gives 2595·log10(1 + f/700).
 *
 * @example
 *   const fb = melFilterbank({ sampleRate: 16000, nFft: 1024, nMels: 128 });        // [mels][bins]
 *   const logMel = logMelSpectrogram(samples, { sampleRate: 16000, nFft: 1024, hop: 512, nMels: 128 });
 *   logMel.data[t * logMel.mels + m];                                               // dB, frame t, band m
 */
import { rfftFrequencies } from './fft';
import { type FrameBatch, stackFrames } from './framing';
import { spectrogram, type StftOptions } from './stft';

export function hzToMel(hz: number, htk = false): number {
  if (htk) return 2595 * Math.log10(1 + hz / 700);
  const linear = hz / (200 / 3);
  return hz >= 1000 ? 15 + Math.log(hz / 1000) / (Math.log(6.4) / 27) : linear;
}

export function melToHz(mel: number, htk = false): number {
  if (htk) return 700 * (10 ** (mel / 2595) - 1);
  return mel >= 15 ? 1000 * Math.exp((Math.log(6.4) / 27) * (mel - 15)) : (200 / 3) * mel;
}

export interface MelOptions {
  sampleRate: number;
  nFft: number;
  /** Default 128. */
  nMels?: number;
  /** Default 0 Hz. */
  fMin?: number;
  /** Default sampleRate / 2. */
  fMax?: number;
  htk?: boolean;
  /** Default 'slaney'; null leaves peaks at 1. */
  norm?: 'slaney' | null;
}

export interface MelFilterbank {
  mels: number;
  bins: number;
  /** `[mels][bins]` weights. */
  weights: Float64Array;
}

export function melFilterbank(options: MelOptions): MelFilterbank {
  const { sampleRate, nFft, nMels = 128, fMin = 0, htk = false, norm = 'slaney' } = options;
  const fMax = options.fMax ?? sampleRate / 2;
  if (!(fMin >= 0 && fMax > fMin && fMax <= sampleRate / 2)) throw new RangeError(`need 0 ≤ fMin < fMax ≤ sampleRate/2, got ${fMin}..${fMax}`);
  const fftFreqs = rfftFrequencies(nFft, sampleRate);
  const bins = fftFreqs.length;
  const lowMel = hzToMel(fMin, htk);
  const highMel = hzToMel(fMax, htk);
  const melF = Float64Array.from({ length: nMels + 2 }, (_, i) => melToHz(lowMel + ((highMel - lowMel) * i) / (nMels + 1), htk));
  const weights = new Float64Array(nMels * bins);
  for (let m = 0; m < nMels; m++) {
    const lowerWidth = melF[m + 1]! - melF[m]!;
    const upperWidth = melF[m + 2]! - melF[m + 1]!;
    const scale = norm === 'slaney' ? 2 / (melF[m + 2]! - melF[m]!) : 1;
    for (let k = 0; k < bins; k++) {
      const lower = (fftFreqs[k]! - melF[m]!) / lowerWidth;
      const upper = (melF[m + 2]! - fftFreqs[k]!) / upperWidth;
      weights[m * bins + k] = Math.max(0, Math.min(lower, upper)) * scale;
    }
  }
  return { mels: nMels, bins, weights };
}

export interface PowerToDbOptions {
  /** Floor before the log. Default 1e-10. */
  amin?: number;
  /** Reference power (0 dB). Default 1. */
  ref?: number;
  /** Clip to max − topDb; null disables. Default 80. */
  topDb?: number | null;
}

/** 10·log10(max(amin, S) / ref), clipped at max − topDb (librosa.power_to_db). */
export function powerToDb(power: ArrayLike<number>, options: PowerToDbOptions = {}): Float32Array {
  const { amin = 1e-10, ref = 1, topDb = 80 } = options;
  const offset = 10 * Math.log10(Math.max(amin, ref));
  const db = Float32Array.from(power, (s) => 10 * Math.log10(Math.max(amin, s)) - offset);
  if (topDb != null) {
    const ceiling = db.reduce((m, v) => Math.max(m, v), Number.NEGATIVE_INFINITY);
    for (let i = 0; i < db.length; i++) db[i] = Math.max(db[i]!, ceiling - topDb);
  }
  return db;
}

export interface MelSpectrogram {
  frames: number;
  mels: number;
  /** `[frames][mels]`. */
  data: Float32Array;
}

/** Mel power spectrogram: filterbank · |STFT|^power, time-major. */
export function melSpectrogram(x: ArrayLike<number>, options: StftOptions & MelOptions & { power?: number }): MelSpectrogram {
  const spec = spectrogram(x, options);
  const bank = melFilterbank({ ...options, nFft: options.nFft });
  // Each triangle covers a few bins: multiply only over its non-zero range (≈ 100× fewer operations at 128 mels).
  const ranges = Array.from({ length: bank.mels }, (_, m) => {
    const row = bank.weights.subarray(m * bank.bins, (m + 1) * bank.bins);
    const first = row.findIndex((w) => w !== 0);
    let last = row.length - 1;
    while (last >= 0 && row[last] === 0) last--;
    return { first: first < 0 ? 0 : first, last, row };
  });
  const data = new Float32Array(spec.frames * bank.mels);
  for (let t = 0; t < spec.frames; t++) {
    const offset = t * spec.bins;
    for (let m = 0; m < bank.mels; m++) {
      const { first, last, row } = ranges[m]!;
      let sum = 0;
      for (let k = first; k <= last; k++) sum += row[k]! * spec.data[offset + k]!;
      data[t * bank.mels + m] = sum;
    }
  }
  return { frames: spec.frames, mels: bank.mels, data };
}

/** power_to_db(melSpectrogram(x)). */
export function logMelSpectrogram(x: ArrayLike<number>, options: StftOptions & MelOptions & { power?: number } & PowerToDbOptions): MelSpectrogram {
  const mel = melSpectrogram(x, options);
  return { ...mel, data: powerToDb(mel.data, options) };
}

export interface LogMelContextOptions {
  sampleRate: number;
  nFft: number;
  hop: number;
  nMels: number;
  /** Default 0 Hz. */
  fMin?: number;
  /** Default sampleRate / 2. */
  fMax?: number;
  /** Log-mel frames per context window. */
  frames: number;
  /** Frames between context starts. */
  frameHop: number;
}

/**
 * Log-mel context windows `[frames][mels]` of `x` (at `sampleRate`), one every `frameHop` frames: centred STFT,
 * power 2, librosa's power_to_db without top-dB clipping (so clips stay comparable). What the audio VAEs train on
 * (`logMelWindows` of @vigil/datasets, after resampling) and what the detector scores them on (`logMelContexts`
 * of @vigil/ml): one computation for both.
 */
export function logMelContextWindows(x: ArrayLike<number>, options: LogMelContextOptions): FrameBatch {
  const { sampleRate, nFft, hop, nMels, fMin = 0, fMax = sampleRate / 2, frames, frameHop } = options;
  const logMel = logMelSpectrogram(x, { sampleRate, nFft, hop, nMels, fMin, fMax, topDb: null });
  return stackFrames(logMel.data, logMel.frames, logMel.mels, frames, frameHop);
}
