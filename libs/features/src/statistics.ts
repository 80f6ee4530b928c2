/**
 * Statistics of one window of samples, the classic condition-monitoring features. Conventions follow
 * numpy/scipy defaults: population std (ddof 0), biased skewness and *excess* kurtosis (scipy.stats.skew /
 * kurtosis with fisher=True, bias=True: a Gaussian gives ≈ 0). A constant window has skewness and kurtosis NaN
 * (scipy returns NaN there too), crest factor NaN when rms is 0.
 *
 * @example
 *   const s = windowStatistics(vibration.subarray(0, 2048));
 *   s.kurtosis;        // spiky bearing faults push this well above 0
 *   const perChannel = channelStatistics(window.data, window.steps, window.channels);
 */

export interface WindowStatistics {
  mean: number;
  std: number;
  rms: number;
  min: number;
  max: number;
  peakToPeak: number;
  /** max|x| / rms. */
  crestFactor: number;
  skewness: number;
  /** Excess kurtosis (Fisher). */
  kurtosis: number;
}

export function windowStatistics(x: ArrayLike<number>): WindowStatistics {
  const n = x.length;
  if (n === 0) throw new RangeError('statistics of an empty window');
  let sum = 0;
  let sumSquares = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    sum += v;
    sumSquares += v * v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  // Central moments in a second pass: the one-pass formula loses digits when |mean| ≫ std.
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  const rms = Math.sqrt(sumSquares / n);
  // Relative threshold, like scipy: below it the "variance" is rounding noise of a constant window.
  const constant = m2 <= (1e-15 * Math.abs(mean)) ** 2; // numpy float64 resolution, as scipy
  return {
    mean,
    std: Math.sqrt(m2),
    rms,
    min,
    max,
    peakToPeak: max - min,
    crestFactor: rms === 0 ? Number.NaN : Math.max(Math.abs(min), Math.abs(max)) / rms,
    skewness: constant ? Number.NaN : m3 / m2 ** 1.5,
    kurtosis: constant ? Number.NaN : m4 / (m2 * m2) - 3,
  };
}

/** windowStatistics of each channel of a row-major `[steps][channels]` window. */
export function channelStatistics(data: ArrayLike<number>, steps: number, channels: number): WindowStatistics[] {
  if (data.length !== steps * channels) throw new RangeError(`expected ${steps}×${channels} values, got ${data.length}`);
  return Array.from({ length: channels }, (_, c) => windowStatistics(Float64Array.from({ length: steps }, (_, t) => data[t * channels + c]!)));
}
