/**
 * Time-series augmentations for `[steps][channels]` windows (Um et al., "Data augmentation of wearable sensor data
 * for Parkinson's disease monitoring using convolutional neural networks", 2017): jitter (additive Gaussian
 * noise), scaling (one Gaussian factor per channel), magnitude warping (each channel times a smooth random curve,
 * a natural cubic spline through `knots` interior + 2 end knots ~ N(1, σ²)) and time warping (a smooth random
 * speed curve, integrated and rescaled so the window keeps its start and end, then linear interpolation; one warp
 * shared by all channels so they stay aligned). Deterministic for a given `Random` (see random.ts).
 *
 * @example
 *   const random = seededRandom(7);
 *   const noisy = jitter(window, random, { sigma: 0.03 });
 *   const warped = timeWarp(magnitudeWarp(window, random), random, { sigma: 0.2, knots: 4 });
 */
import { naturalCubicSpline } from './cubic-spline';
import { type Random } from './random';

export interface Window {
  /** Row-major `[steps][channels]`. */
  data: Float32Array;
  steps: number;
  channels: number;
}

function checked(window: Window): Window {
  if (window.data.length !== window.steps * window.channels) {
    throw new RangeError(`window data has ${window.data.length} values, expected ${window.steps}×${window.channels}`);
  }
  return window;
}

const withData = (window: Window, data: Float32Array): Window => ({ data, steps: window.steps, channels: window.channels });

export function jitter(window: Window, random: Random, { sigma = 0.03 } = {}): Window {
  checked(window);
  return withData(
    window,
    window.data.map((v) => v + random.normal(0, sigma)),
  );
}

export function scaling(window: Window, random: Random, { sigma = 0.1 } = {}): Window {
  const { data, channels } = checked(window);
  const factors = Array.from({ length: channels }, () => random.normal(1, sigma));
  return withData(
    window,
    data.map((v, i) => v * factors[i % channels]!),
  );
}

/** A smooth random curve over 0..steps−1 through knots + 2 equally spaced knots with values ~ N(1, σ²). */
export function smoothRandomCurve(steps: number, random: Random, sigma: number, knots: number): Float64Array {
  if (!Number.isInteger(knots) || knots < 0) throw new RangeError(`knots must be a non-negative integer, got ${knots}`);
  const count = knots + 2;
  const span = Math.max(steps - 1, 1);
  const xs = Array.from({ length: count }, (_, i) => (span * i) / (count - 1));
  const ys = xs.map(() => random.normal(1, sigma));
  const curve = naturalCubicSpline(xs, ys);
  return Float64Array.from({ length: steps }, (_, t) => curve(t));
}

export function magnitudeWarp(window: Window, random: Random, { sigma = 0.2, knots = 4 } = {}): Window {
  const { data, steps, channels } = checked(window);
  const out = new Float32Array(data.length);
  for (let c = 0; c < channels; c++) {
    const curve = smoothRandomCurve(steps, random, sigma, knots);
    for (let t = 0; t < steps; t++) out[t * channels + c] = data[t * channels + c]! * curve[t]!;
  }
  return withData(window, out);
}

export function timeWarp(window: Window, random: Random, { sigma = 0.2, knots = 4 } = {}): Window {
  const { data, steps, channels } = checked(window);
  if (steps < 2) return withData(window, data.slice());
  // Speeds stay positive, so warped time is strictly increasing and samples keep their order.
  const speed = smoothRandomCurve(steps, random, sigma, knots).map((v) => Math.max(v, 1e-3));
  const warped = new Float64Array(steps);
  for (let t = 1; t < steps; t++) warped[t] = warped[t - 1]! + (speed[t - 1]! + speed[t]!) / 2;
  const scale = (steps - 1) / warped[steps - 1]!;
  const out = new Float32Array(data.length);
  for (let t = 0; t < steps; t++) {
    const position = Math.min(steps - 1, warped[t]! * scale);
    const left = Math.min(steps - 2, Math.floor(position));
    const fraction = position - left;
    for (let c = 0; c < channels; c++) {
      out[t * channels + c] = data[left * channels + c]! * (1 - fraction) + data[(left + 1) * channels + c]! * fraction;
    }
  }
  return withData(window, out);
}
