/**
 * Discrete wavelet transform matching PyWavelets' `pywt.dwt` / `pywt.wavedec`: convolution with the
 * decomposition filters, keeping every second output (odd positions of the full convolution), after extending
 * the signal by the chosen mode. Default mode is `symmetric` (pywt's default: half-sample mirror,
 * x[−1] = x[0]); also `reflect`, `periodic`, `zero` and `constant`. Output length per level is
 * floor((n + L − 1) / 2) for filter length L. pywt's `periodization` mode is not implemented.
 *
 * @example
 *   const { approximation, detail } = dwt(x, 'db4');
 *   const [cA3, cD3, cD2, cD1] = wavedec(x, 'haar', { level: 3 });   // pywt.wavedec order
 */

export type WaveletName = 'haar' | 'db1' | 'db2' | 'db4';
export type ExtensionMode = 'symmetric' | 'reflect' | 'periodic' | 'zero' | 'constant';

/** Decomposition low-pass filters as pywt.Wavelet(name).dec_lo (the high-pass is the quadrature mirror). */
const DEC_LO: Record<WaveletName, readonly number[]> = {
  haar: [0.7071067811865476, 0.7071067811865476],
  db1: [0.7071067811865476, 0.7071067811865476],
  db2: [-0.12940952255126037, 0.2241438680420134, 0.8365163037378079, 0.48296291314453416],
  db4: [
    -0.010597401785069032, 0.0328830116668852, 0.030841381835560764, -0.18703481171909309, -0.027983769416859854, 0.6308807679298589, 0.7148465705529157,
    0.2303778133088965,
  ],
};

export interface WaveletFilters {
  decLo: Float64Array;
  decHi: Float64Array;
}

/** dec_hi[k] = (−1)^(k+1) · dec_lo[L−1−k], pywt's quadrature mirror. */
export function waveletFilters(name: WaveletName): WaveletFilters {
  const lo = DEC_LO[name];
  if (!lo) throw new RangeError(`unknown wavelet "${name}" (haar, db1, db2, db4)`);
  const L = lo.length;
  return { decLo: Float64Array.from(lo), decHi: Float64Array.from(lo, (_, k) => (k % 2 === 0 ? -1 : 1) * lo[L - 1 - k]!) };
}

/** Sample x[i] for any integer i under the extension mode. */
function extendedSample(x: ArrayLike<number>, i: number, mode: ExtensionMode): number {
  const n = x.length;
  if (i >= 0 && i < n) return x[i]!;
  switch (mode) {
    case 'zero':
      return 0;
    case 'constant':
      return i < 0 ? x[0]! : x[n - 1]!;
    case 'periodic':
      return x[((i % n) + n) % n]!;
    case 'symmetric': {
      const period = 2 * n;
      const j = ((i % period) + period) % period;
      return x[j < n ? j : period - 1 - j]!;
    }
    case 'reflect': {
      if (n === 1) return x[0]!;
      const period = 2 * n - 2;
      const j = ((i % period) + period) % period;
      return x[j < n ? j : period - j]!;
    }
  }
}

export interface DwtResult {
  approximation: Float64Array;
  detail: Float64Array;
}

/** One level of the DWT (pywt.dwt). */
export function dwt(x: ArrayLike<number>, wavelet: WaveletName, mode: ExtensionMode = 'symmetric'): DwtResult {
  if (x.length === 0) throw new RangeError('cannot transform an empty signal');
  const { decLo, decHi } = waveletFilters(wavelet);
  const L = decLo.length;
  const outLength = Math.floor((x.length + L - 1) / 2);
  const approximation = new Float64Array(outLength);
  const detail = new Float64Array(outLength);
  for (let k = 0; k < outLength; k++) {
    const centre = 2 * k + 1;
    let a = 0;
    let d = 0;
    for (let j = 0; j < L; j++) {
      const v = extendedSample(x, centre - j, mode);
      a += decLo[j]! * v;
      d += decHi[j]! * v;
    }
    approximation[k] = a;
    detail[k] = d;
  }
  return { approximation, detail };
}

/** pywt.dwt_max_level: the deepest level at which the signal is still longer than the filter. */
export function dwtMaxLevel(length: number, wavelet: WaveletName): number {
  const L = DEC_LO[wavelet].length;
  return length < L - 1 ? 0 : Math.floor(Math.log2(length / (L - 1)));
}

/** Multilevel DWT (pywt.wavedec): `[cA_level, cD_level, …, cD_1]`. Level defaults to dwtMaxLevel. */
export function wavedec(x: ArrayLike<number>, wavelet: WaveletName, options: { level?: number; mode?: ExtensionMode } = {}): Float64Array[] {
  const maxLevel = dwtMaxLevel(x.length, wavelet);
  const level = options.level ?? maxLevel;
  if (!Number.isInteger(level) || level < 0) throw new RangeError(`level must be a non-negative integer, got ${level}`);
  const details: Float64Array[] = [];
  let approximation: ArrayLike<number> = x;
  for (let l = 0; l < level; l++) {
    const step = dwt(approximation, wavelet, options.mode);
    details.push(step.detail);
    approximation = step.approximation;
  }
  return [Float64Array.from(approximation), ...details.reverse()];
}

/** Energy (sum of squares) of each wavedec band, a compact vibration feature. */
export function waveletBandEnergies(coefficients: readonly Float64Array[]): Float64Array {
  return Float64Array.from(coefficients, (band) => band.reduce((s, v) => s + v * v, 0));
}
