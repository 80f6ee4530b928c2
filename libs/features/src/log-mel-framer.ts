/**
 * `audioLogMelFrames` (@vigil/ml) one frame at a time, for windows that overlap: the live detector's windows (3 s, hop 1 s)
 * share most of their frames, so it computes each interior frame once and only the frames that touch a window's
 * edges (zero-padded by the centred STFT) per window. The arithmetic is `audioLogMelFrames`' own, step for step
 * (float64 STFT, float32 power and mel values), so a frame is bit-identical to the one it would compute; the
 * Hann window, the FFT plan and the mel triangles are prepared once. It lives here, not beside `audioLogMelFrames`
 * (which re-exports it), so that the detector's log-mel worker thread loads this library only, no tfjs or ONNX Runtime.
 *
 * @example
 *   const framer = new LogMelFramer(48_000, 16_000, { frames: 24, mels: 32 });
 *   const frame = framer.frame(samples, 5);            // [mels] of frame 5 of the window `samples`
 *   framer.isInterior(5);                              // true: same values in any window holding its samples
 */
import { rfftPowerInto } from './fft';
import { melFilterbank } from './mel';
import { windowFunction } from './window';

export interface LogMelFramerOptions {
  frames: number;
  mels: number;
  /** FFT size; default the power of two at or above twice the hop (at least 256). */
  nFft?: number;
  fMin?: number;
  fMax?: number;
}

/** Log-mel frames of one window length, frame by frame (see the module comment). */
export class LogMelFramer {
  readonly hop: number;
  readonly nFft: number;
  readonly frames: number;
  readonly mels: number;
  private readonly window: Float64Array;
  private readonly triangles: { first: number; last: number; row: Float64Array }[];
  private readonly segment: Float64Array;
  private readonly power: Float32Array;

  constructor(
    readonly windowSamples: number,
    sampleRate: number,
    options: LogMelFramerOptions,
  ) {
    this.frames = options.frames;
    this.mels = options.mels;
    this.hop = Math.max(1, Math.floor(windowSamples / options.frames));
    this.nFft = options.nFft ?? Math.max(256, 2 ** Math.ceil(Math.log2(2 * this.hop)));
    this.window = windowFunction('hann', this.nFft);
    const bank = melFilterbank({ sampleRate, nFft: this.nFft, nMels: this.mels, fMin: options.fMin ?? 0, fMax: options.fMax ?? sampleRate / 2 });
    this.triangles = Array.from({ length: bank.mels }, (_, m) => {
      const row = bank.weights.subarray(m * bank.bins, (m + 1) * bank.bins);
      const first = row.findIndex((w) => w !== 0);
      let last = row.length - 1;
      while (last >= 0 && row[last] === 0) last--;
      return { first: first < 0 ? 0 : first, last, row };
    });
    this.segment = new Float64Array(this.nFft);
    this.power = new Float32Array(Math.floor(this.nFft / 2) + 1);
  }

  /** First sample (window-relative, may be negative) frame t reads. */
  firstSample(t: number): number {
    return t * this.hop - Math.floor(this.nFft / 2);
  }

  /** Whether frame t reads only samples inside the window (no padding): then it depends on those samples alone. */
  isInterior(t: number): boolean {
    return this.firstSample(t) >= 0 && this.firstSample(t) + this.nFft <= this.windowSamples;
  }

  /** Log-mel dB `[mels]` of frame t of the window `samples` (length `windowSamples`). */
  frame(samples: Float32Array, t: number): Float32Array {
    // Centred framing gives one frame more than samples / hop; a short window repeats its last frame.
    const source = Math.min(t, Math.floor(this.windowSamples / this.hop));
    const start = this.firstSample(source);
    const { segment, window, nFft } = this;
    if (start >= 0 && start + nFft <= samples.length) {
      for (let i = 0; i < nFft; i++) segment[i] = samples[start + i]! * window[i]!;
    } else {
      for (let i = 0; i < nFft; i++) {
        const k = start + i;
        segment[i] = (k >= 0 && k < samples.length ? samples[k]! : 0) * window[i]!;
      }
    }
    const power = rfftPowerInto(segment, this.power);
    const db = new Float32Array(this.mels);
    for (let m = 0; m < this.mels; m++) {
      const { first, last, row } = this.triangles[m]!;
      let sum = 0;
      for (let k = first; k <= last; k++) sum += row[k]! * power[k]!;
      // powerToDb(mel, { topDb: null }) term by term: mel rounded to float32 first, amin 1e-10, ref 1 (offset 0).
      db[m] = 10 * Math.log10(Math.max(1e-10, Math.fround(sum))) - 0;
    }
    return db;
  }
}
