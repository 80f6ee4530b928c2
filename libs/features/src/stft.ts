/**
 * Short-time Fourier transform and spectrogram in librosa's convention (librosa.stft, ≥ 0.10): frames start
 * every `hop` samples; with `center` (default) the signal is padded by nFft/2 on both sides (zeros by default,
 * `padMode: 'reflect'` for librosa < 0.10), so frame t is centred on sample t·hop; the window (periodic Hann by
 * default) is zero-padded to nFft when shorter; no scaling. Output is time-major, `[frames][bins]` — the
 * transpose of librosa's `[bins][frames]` — so spectrogram frames drop straight into `[steps][channels]` windows.
 *
 * @example
 *   const spec = spectrogram(samples, { nFft: 1024, hop: 512 });   // power, Float32Array frames×513
 *   spec.data[t * spec.bins + k];                                  // frame t, bin k
 */
import { rfft } from './fft';
import { windowFunction, type WindowName } from './window';

export interface StftOptions {
  nFft: number;
  /** Default nFft / 4, like librosa. */
  hop?: number;
  /** Default nFft. */
  winLength?: number;
  /** Default 'hann' (periodic). */
  window?: WindowName;
  /** Default true. */
  center?: boolean;
  /** Padding when centred. Default 'constant' (zeros). */
  padMode?: 'constant' | 'reflect';
}

export interface Stft {
  frames: number;
  bins: number;
  /** `[frames][bins]` real and imaginary parts. */
  re: Float64Array;
  im: Float64Array;
}

function padSignal(x: ArrayLike<number>, pad: number, mode: 'constant' | 'reflect'): Float64Array {
  const n = x.length;
  const out = new Float64Array(n + 2 * pad);
  for (let i = 0; i < n; i++) out[pad + i] = x[i]!;
  if (mode === 'reflect') {
    if (n <= pad) throw new RangeError(`reflect padding needs more than ${pad} samples, got ${n}`);
    for (let i = 1; i <= pad; i++) {
      out[pad - i] = x[i]!;
      out[pad + n - 1 + i] = x[n - 1 - i]!;
    }
  }
  return out;
}

export function stft(x: ArrayLike<number>, options: StftOptions): Stft {
  const { nFft, center = true, padMode = 'constant', window = 'hann' } = options;
  const hop = options.hop ?? Math.floor(nFft / 4);
  const winLength = options.winLength ?? nFft;
  if (!Number.isInteger(nFft) || nFft < 1) throw new RangeError(`nFft must be a positive integer, got ${nFft}`);
  if (!Number.isInteger(hop) || hop < 1) throw new RangeError(`hop must be a positive integer, got ${hop}`);
  if (!Number.isInteger(winLength) || winLength < 1 || winLength > nFft) throw new RangeError(`winLength must be in 1..nFft, got ${winLength}`);
  const signal = center ? padSignal(x, Math.floor(nFft / 2), padMode) : Float64Array.from(x);
  if (signal.length < nFft) throw new RangeError(`signal of ${x.length} samples is shorter than one frame (nFft ${nFft})`);

  const win = new Float64Array(nFft);
  win.set(windowFunction(window, winLength), Math.floor((nFft - winLength) / 2));
  const frames = 1 + Math.floor((signal.length - nFft) / hop);
  const bins = Math.floor(nFft / 2) + 1;
  const re = new Float64Array(frames * bins);
  const im = new Float64Array(frames * bins);
  const frame = new Float64Array(nFft);
  for (let t = 0; t < frames; t++) {
    const start = t * hop;
    for (let i = 0; i < nFft; i++) frame[i] = signal[start + i]! * win[i]!;
    const spectrum = rfft(frame);
    re.set(spectrum.re, t * bins);
    im.set(spectrum.im, t * bins);
  }
  return { frames, bins, re, im };
}

export interface Spectrogram {
  frames: number;
  bins: number;
  /** `[frames][bins]` |STFT|^power. */
  data: Float32Array;
}

/** |STFT|^power (power 2 = power spectrogram, 1 = magnitude), like librosa's `S = |stft|**power`. */
export function spectrogram(x: ArrayLike<number>, options: StftOptions & { power?: number }): Spectrogram {
  const power = options.power ?? 2;
  const { frames, bins, re, im } = stft(x, options);
  const data = new Float32Array(frames * bins);
  for (let i = 0; i < data.length; i++) {
    const squared = re[i]! * re[i]! + im[i]! * im[i]!;
    data[i] = power === 2 ? squared : squared ** (power / 2);
  }
  return { frames, bins, data };
}
