/**
 * Discrete Fourier transforms of any length. Power-of-two sizes go to `fft.js` (indutny's radix-4 FFT: pure JS,
 * no native build, the fastest JS FFT in common benchmarks, typed); other sizes use Bluestein's chirp-z algorithm
 * on top of it, so `rfft(x)` matches `numpy.fft.rfft(x)` for every length (unnormalised forward transform,
 * e^{-2πikn/N}).
 *
 * @example
 *   const { re, im } = rfft(signal);                 // n/2 + 1 bins, like numpy.fft.rfft
 *   const power = powerSpectrum(signal, 1024);       // |X|², zero-padded to 1024
 *   const hz = rfftFrequencies(1024, 16000);         // bin centre frequencies
 */
import FFT from 'fft.js';

export interface ComplexArray {
  re: Float64Array;
  im: Float64Array;
}

interface Plan {
  fft: FFT;
  /** Scratch output reused across calls (results are copied out), to spare the allocator in STFT loops. */
  scratch: number[];
}

const plans = new Map<number, Plan>();
function planFor(size: number): Plan {
  let p = plans.get(size);
  if (!p) {
    const fft = new FFT(size);
    p = { fft, scratch: fft.createComplexArray() as number[] };
    plans.set(size, p);
  }
  return p;
}

const isPowerOfTwo = (n: number) => n >= 2 && (n & (n - 1)) === 0;

function powerOfTwoTransform(re: ArrayLike<number>, im: ArrayLike<number>, inverse: boolean): ComplexArray {
  const n = re.length;
  const { fft } = planFor(n);
  const input = fft.createComplexArray() as number[];
  for (let i = 0; i < n; i++) {
    input[2 * i] = re[i]!;
    input[2 * i + 1] = im[i]!;
  }
  const out = fft.createComplexArray() as number[];
  if (inverse) fft.inverseTransform(out, input);
  else fft.transform(out, input);
  const result = { re: new Float64Array(n), im: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    result.re[i] = out[2 * i]!;
    result.im[i] = out[2 * i + 1]!;
  }
  return result;
}

/** Bluestein: a length-n DFT as a circular convolution of power-of-two length ≥ 2n − 1. */
function bluestein(re: ArrayLike<number>, im: ArrayLike<number>, inverse: boolean): ComplexArray {
  const n = re.length;
  const m = 2 ** Math.ceil(Math.log2(2 * n - 1));
  const sign = inverse ? 1 : -1;
  const chirpRe = new Float64Array(n);
  const chirpIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // k² mod 2n keeps the angle small, so the chirp stays accurate for long inputs.
    const angle = (sign * Math.PI * ((k * k) % (2 * n))) / n;
    chirpRe[k] = Math.cos(angle);
    chirpIm[k] = Math.sin(angle);
  }
  const aRe = new Float64Array(m);
  const aIm = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    aRe[k] = re[k]! * chirpRe[k]! - im[k]! * chirpIm[k]!;
    aIm[k] = re[k]! * chirpIm[k]! + im[k]! * chirpRe[k]!;
  }
  const bRe = new Float64Array(m);
  const bIm = new Float64Array(m);
  bRe[0] = chirpRe[0]!;
  bIm[0] = -chirpIm[0]!;
  for (let k = 1; k < n; k++) {
    bRe[k] = bRe[m - k] = chirpRe[k]!;
    bIm[k] = bIm[m - k] = -chirpIm[k]!;
  }
  const A = powerOfTwoTransform(aRe, aIm, false);
  const B = powerOfTwoTransform(bRe, bIm, false);
  const prodRe = new Float64Array(m);
  const prodIm = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    prodRe[k] = A.re[k]! * B.re[k]! - A.im[k]! * B.im[k]!;
    prodIm[k] = A.re[k]! * B.im[k]! + A.im[k]! * B.re[k]!;
  }
  const conv = powerOfTwoTransform(prodRe, prodIm, true); // fft.js's inverse already divides by m
  const out = { re: new Float64Array(n), im: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    out.re[k] = conv.re[k]! * chirpRe[k]! - conv.im[k]! * chirpIm[k]!;
    out.im[k] = conv.re[k]! * chirpIm[k]! + conv.im[k]! * chirpRe[k]!;
  }
  if (inverse) {
    for (let k = 0; k < n; k++) {
      out.re[k]! /= n;
      out.im[k]! /= n;
    }
  }
  return out;
}

/** Complex DFT of any length (`inverse` divides by n, like numpy.fft.ifft). */
export function fft(re: ArrayLike<number>, im: ArrayLike<number> = new Float64Array(re.length), inverse = false): ComplexArray {
  const n = re.length;
  if (im.length !== n) throw new RangeError('real and imaginary parts differ in length');
  if (n === 0) throw new RangeError('cannot transform an empty signal');
  if (n === 1) return { re: Float64Array.of(re[0]!), im: Float64Array.of(im[0]!) };
  return isPowerOfTwo(n) ? powerOfTwoTransform(re, im, inverse) : bluestein(re, im, inverse);
}

export const ifft = (re: ArrayLike<number>, im: ArrayLike<number>): ComplexArray => fft(re, im, true);

/** Input cut or zero-padded to n, as numpy does for its `n` argument. */
function fitLength(x: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < Math.min(n, x.length); i++) out[i] = x[i]!;
  return out;
}

/** The n/2 + 1 non-negative-frequency bins of the DFT of a real signal (numpy.fft.rfft). */
export function rfft(x: ArrayLike<number>, n = x.length): ComplexArray {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`FFT length must be a positive integer, got ${n}`);
  const bins = Math.floor(n / 2) + 1;
  // A float64 input of the right length is read as is (the transform does not write to it): STFT loops skip a copy.
  const padded = x instanceof Float64Array && x.length === n ? x : fitLength(x, n);
  let full: ComplexArray;
  if (isPowerOfTwo(n)) {
    const { fft: plan, scratch: out } = planFor(n);
    plan.realTransform(out, padded); // fills the first half, which is all rfft needs
    full = { re: new Float64Array(bins), im: new Float64Array(bins) };
    for (let k = 0; k < bins; k++) {
      full.re[k] = out[2 * k]!;
      full.im[k] = out[2 * k + 1]!;
    }
    return full;
  }
  full = fft(padded);
  return { re: full.re.slice(0, bins), im: full.im.slice(0, bins) };
}

/** |rfft(x, n)|². */
export function powerSpectrum(x: ArrayLike<number>, n = x.length): Float64Array {
  const { re, im } = rfft(x, n);
  return re.map((r, k) => r * r + im[k]! * im[k]!);
}

/** |rfft(x, n)|. */
export function magnitudeSpectrum(x: ArrayLike<number>, n = x.length): Float64Array {
  return powerSpectrum(x, n).map(Math.sqrt);
}

/** Centre frequency of each rfft bin (numpy.fft.rfftfreq(n, 1 / sampleRate)). */
export function rfftFrequencies(n: number, sampleRate: number): Float64Array {
  return Float64Array.from({ length: Math.floor(n / 2) + 1 }, (_, k) => (k * sampleRate) / n);
}

/**
 * |rfft(x)|² into `out` (length n/2 + 1, float32 like a spectrogram's frames), with no allocation for
 * power-of-two lengths: frame-by-frame callers (an incremental STFT) reuse one output buffer.
 */
export function rfftPowerInto(x: Float64Array, out: Float32Array): Float32Array {
  const n = x.length;
  const bins = Math.floor(n / 2) + 1;
  if (out.length !== bins) throw new RangeError(`output must hold ${bins} bins, got ${out.length}`);
  if (!isPowerOfTwo(n)) {
    const { re, im } = rfft(x);
    for (let k = 0; k < bins; k++) out[k] = re[k]! * re[k]! + im[k]! * im[k]!;
    return out;
  }
  const { fft: plan, scratch } = planFor(n);
  plan.realTransform(scratch, x);
  for (let k = 0; k < bins; k++) out[k] = scratch[2 * k]! * scratch[2 * k]! + scratch[2 * k + 1]! * scratch[2 * k + 1]!;
  return out;
}
