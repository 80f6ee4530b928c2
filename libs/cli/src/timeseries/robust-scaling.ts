/**
 * Per-channel robust scaling fitted on training rows only: (x − median) / scale, with scale the interquartile
 * range / 1.349 (the standard deviation for Gaussian data, unmoved by a few spikes), the standard deviation where
 * the IQR is 0 (a quantised sensor that mostly repeats one value) and a small floor. Also the causal rolling
 * mean that the level statistic (level-tracker.ts) compares with its drift-following baseline.
 *
 * @example
 *   const scaling = fitRobustScaling(trainRows, channels);
 *   const z = applyRobustScaling(scaling, rows);
 */
import { z } from 'zod';

export const robustScalingSchema = z.object({ median: z.array(z.number()), scale: z.array(z.number().positive()) });
export type RobustScaling = z.infer<typeof robustScalingSchema>;

function quantileSorted(sorted: Float64Array, p: number): number {
  const position = p * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

function column(values: ArrayLike<number>, channels: number, c: number): Float64Array {
  const out = new Float64Array(values.length / channels);
  for (let r = 0; r < out.length; r++) out[r] = values[r * channels + c]!;
  return out;
}

export function standardDeviation(x: Float64Array): number {
  const mean = x.reduce((s, v) => s + v, 0) / x.length;
  return Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, x.length - 1));
}

/** Channels whose training values never change: nothing can be learnt from them. */
export function constantChannels(values: ArrayLike<number>, channels: number): number[] {
  const constant: number[] = [];
  for (let c = 0; c < channels; c++) {
    const x = column(values, channels, c);
    if (x.every((v) => v === x[0])) constant.push(c);
  }
  return constant;
}

export function fitRobustScaling(values: ArrayLike<number>, channels: number): RobustScaling {
  const median: number[] = [];
  const scale: number[] = [];
  for (let c = 0; c < channels; c++) {
    const x = column(values, channels, c);
    const sorted = Float64Array.from(x).sort();
    const m = quantileSorted(sorted, 0.5);
    const iqr = (quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25)) / 1.349;
    const floor = 1e-6 * Math.max(1, Math.abs(m));
    median.push(m);
    scale.push(Math.max(iqr > floor ? iqr : standardDeviation(x), floor));
  }
  return { median, scale };
}

export function applyRobustScaling(scaling: RobustScaling, values: Float32Array): Float32Array {
  const channels = scaling.median.length;
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = (values[i]! - scaling.median[i % channels]!) / scaling.scale[i % channels]!;
  return out;
}

/** Causal rolling mean over `span` rows of `[rows][channels]` data (shorter at the start). */
export function rollingMean(values: Float32Array, channels: number, span: number): Float64Array {
  const rows = values.length / channels;
  const out = new Float64Array(values.length);
  const sum = new Float64Array(channels);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < channels; c++) {
      sum[c]! += values[r * channels + c]!;
      if (r >= span) sum[c]! -= values[(r - span) * channels + c]!;
      out[r * channels + c] = sum[c]! / Math.min(r + 1, span);
    }
  }
  return out;
}
