/**
 * Rational-factor resampling by polyphase filtering, matching scipy.signal.resample_poly(x, up, down) with its
 * defaults: a Kaiser-windowed sinc low-pass (β = 5, 20·max(up, down) + 1 taps, cut-off at the lower Nyquist),
 * zero padding at the edges, output length ceil(n · up / down). Polyphase rather than FFT resampling because it
 * needs no periodic-signal assumption (no wrap-around at clip edges) and streams.
 *
 * @example
 *   const y = resample(samples, 48000, 12000);       // → resample_poly(x, 1, 4)
 *   const z = resamplePoly(samples, 160, 147);        // 44.1 kHz → 48 kHz
 */

/** Modified Bessel function of the first kind, order 0 (power series; converges fast for β ≤ 50). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const quarterSquare = (x * x) / 4;
  for (let k = 1; k < 200; k++) {
    term *= quarterSquare / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** scipy.signal.firwin(numtaps, cutoff, window=('kaiser', beta)) for a low-pass; cutoff relative to Nyquist. */
export function kaiserLowPass(numtaps: number, cutoff: number, beta = 5): Float64Array {
  const alpha = (numtaps - 1) / 2;
  const sinc = (v: number) => (v === 0 ? 1 : Math.sin(Math.PI * v) / (Math.PI * v));
  const i0Beta = besselI0(beta);
  const h = Float64Array.from({ length: numtaps }, (_, n) => {
    const m = n - alpha;
    const ratio = numtaps === 1 ? 0 : (2 * n) / (numtaps - 1) - 1;
    const window = besselI0(beta * Math.sqrt(Math.max(0, 1 - ratio * ratio))) / i0Beta;
    return cutoff * sinc(cutoff * m) * window;
  });
  const gain = h.reduce((s, v) => s + v, 0); // firwin's scale=True: unit gain at DC
  return h.map((v) => v / gain);
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

export function resamplePoly(x: ArrayLike<number>, up: number, down: number): Float64Array {
  if (!Number.isInteger(up) || !Number.isInteger(down) || up < 1 || down < 1) throw new RangeError(`up and down must be positive integers, got ${up}/${down}`);
  const divisor = gcd(up, down);
  up /= divisor;
  down /= divisor;
  const n = x.length;
  if (up === 1 && down === 1) return Float64Array.from(x);
  const outLength = Math.ceil((n * up) / down);
  const maxRate = Math.max(up, down);
  const halfLength = 10 * maxRate;
  const taps = kaiserLowPass(2 * halfLength + 1, 1 / maxRate).map((v) => v * up);
  // scipy pads the filter in front so that output sample 0 lines up with input sample 0.
  const prePad = down - (halfLength % down);
  const preRemove = Math.floor((halfLength + prePad) / down);
  const h = new Float64Array(prePad + taps.length);
  h.set(taps, prePad);

  const y = new Float64Array(outLength);
  for (let i = 0; i < outLength; i++) {
    // upfirdn: y[k] = Σ_j h[j] · xUp[k·down − j], xUp nonzero only at multiples of `up`.
    const position = (i + preRemove) * down;
    let first = Math.max(0, Math.ceil((position - (h.length - 1)) / up));
    const last = Math.min(n - 1, Math.floor(position / up));
    let sum = 0;
    for (; first <= last; first++) sum += h[position - first * up]! * x[first]!;
    y[i] = sum;
  }
  return y;
}

/** Resamples from one rate to another (integer Hz), reducing the ratio first. */
export function resample(x: ArrayLike<number>, fromRate: number, toRate: number): Float64Array {
  return resamplePoly(x, toRate, fromRate);
}
