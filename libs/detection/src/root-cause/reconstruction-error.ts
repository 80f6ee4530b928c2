/**
 * Where a window's reconstruction error sits: per channel (which sensor) and per time step (when), optionally
 * in units of each channel's normal residual so a naturally noisy channel does not outrank a broken quiet one.
 *
 * @example
 *   const scale = calibrateResidualScale(model, normalWindows);   // once, on normal data
 *   const { channelError, stepError } = reconstructionErrors(window, model.reconstruct(window), scale);
 */
import type { WindowBatch, WindowModel } from '@vigil/ml';

export interface ReconstructionErrors {
  /** Mean squared (scaled) residual per channel, over steps. */
  channelError: Float64Array;
  /** Mean squared (scaled) residual per step, over channels. */
  stepError: Float64Array;
}

export class WindowShapeError extends Error {
  override readonly name = 'WindowShapeError';
}

export function assertSameShape(a: WindowBatch, b: WindowBatch, what: string): void {
  if (a.steps !== b.steps || a.channels !== b.channels || a.batch !== b.batch || a.data.length !== b.data.length) {
    throw new WindowShapeError(`${what}: shapes differ ([${a.batch}][${a.steps}][${a.channels}] vs [${b.batch}][${b.steps}][${b.channels}])`);
  }
}

/** Errors of window `index` of the batch against its reconstruction; `scale` divides residuals per channel. */
export function reconstructionErrors(x: WindowBatch, reconstruction: WindowBatch, scale?: ArrayLike<number>, index = 0): ReconstructionErrors {
  assertSameShape(x, reconstruction, 'reconstruction');
  const { steps, channels } = x;
  if (scale && scale.length !== channels) throw new WindowShapeError(`scale has ${scale.length} entries for ${channels} channels`);
  const channelError = new Float64Array(channels);
  const stepError = new Float64Array(steps);
  const offset = index * steps * channels;
  for (let t = 0; t < steps; t++) {
    for (let c = 0; c < channels; c++) {
      const i = offset + t * channels + c;
      const residual = (x.data[i]! - reconstruction.data[i]!) / (scale ? scale[c]! : 1);
      const squared = residual * residual;
      channelError[c] = channelError[c]! + squared / steps;
      stepError[t] = stepError[t]! + squared / channels;
    }
  }
  return { channelError, stepError };
}

/**
 * Root-mean-square residual per channel over a batch of normal windows: the unit in which a channel's error
 * counts as unusual. Channels the model reconstructs perfectly get a floor so the ratio stays finite.
 */
export function calibrateResidualScale(model: WindowModel, normal: WindowBatch, floor = 1e-6): Float64Array {
  const reconstruction = model.reconstruct(normal);
  assertSameShape(normal, reconstruction, 'reconstruction');
  const { channels } = normal;
  const sums = new Float64Array(channels);
  for (let i = 0; i < normal.data.length; i++) {
    const residual = normal.data[i]! - reconstruction.data[i]!;
    sums[i % channels] = sums[i % channels]! + residual * residual;
  }
  const perChannel = normal.data.length / channels;
  return sums.map((sum) => Math.max(Math.sqrt(sum / perChannel), floor));
}

/** Indices sorted by value, largest first. */
export function rankDescending(values: ArrayLike<number>): number[] {
  return Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[b]! - values[a]! || a - b);
}
