/**
 * Analysis windows. `periodic` (the default) is the DFT-even form used for spectral analysis —
 * scipy.signal.get_window(name, n) and librosa's default; `symmetric` is the filter-design form (numpy.hanning).
 *
 * @example
 *   const w = windowFunction('hann', 512);                 // periodic Hann, as librosa.stft uses
 *   const s = windowFunction('hamming', 64, 'symmetric');  // numpy.hamming(64)
 */

export type WindowName = 'hann' | 'hamming' | 'blackman' | 'rectangular';

export function windowFunction(name: WindowName, length: number, form: 'periodic' | 'symmetric' = 'periodic'): Float64Array {
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`window length must be a positive integer, got ${length}`);
  if (length === 1) return Float64Array.of(1);
  const denominator = form === 'periodic' ? length : length - 1;
  return Float64Array.from({ length }, (_, n) => {
    const phase = (2 * Math.PI * n) / denominator;
    switch (name) {
      case 'hann':
        return 0.5 - 0.5 * Math.cos(phase);
      case 'hamming':
        return 0.54 - 0.46 * Math.cos(phase);
      case 'blackman':
        return 0.42 - 0.5 * Math.cos(phase) + 0.08 * Math.cos(2 * phase);
      case 'rectangular':
        return 1;
    }
  });
}
