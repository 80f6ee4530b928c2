/**
 * Cuts a multichannel series `[n][channels]` into windows `[steps][channels]` every `stride` rows — the
 * layout of `WindowBatch`. Windows never cross the end of the series; a series shorter than `steps` gives none.
 *
 * @example
 *   const windows = slidingWindows(rows, 14, { steps: 30, stride: 1 });   // rows.length / 14 − 29 windows
 */
import type { WindowBatch } from '../models/window-model';

export interface WindowingOptions {
  steps: number;
  stride: number;
}

export function windowCount(rowCount: number, { steps, stride }: WindowingOptions): number {
  return rowCount < steps ? 0 : Math.floor((rowCount - steps) / stride) + 1;
}

export function slidingWindows(series: Float32Array, channels: number, options: WindowingOptions): WindowBatch {
  const { steps, stride } = options;
  if (!(Number.isInteger(steps) && steps >= 1 && Number.isInteger(stride) && stride >= 1)) {
    throw new Error(`steps and stride must be positive integers, got ${steps} and ${stride}`);
  }
  if (series.length % channels !== 0) throw new Error(`series length ${series.length} is not a multiple of ${channels} channels`);
  const rows = series.length / channels;
  const batch = windowCount(rows, options);
  const windowSize = steps * channels;
  const data = new Float32Array(batch * windowSize);
  for (let w = 0; w < batch; w++) data.set(series.subarray(w * stride * channels, w * stride * channels + windowSize), w * windowSize);
  return { data, batch, steps, channels };
}

/** Concatenates window batches of the same shape (e.g. windows of several engines or recordings). */
export function concatWindows(batches: readonly WindowBatch[]): WindowBatch {
  const first = batches[0];
  if (!first) throw new Error('concatWindows needs at least one batch');
  const size = batches.reduce((sum, b) => {
    if (b.steps !== first.steps || b.channels !== first.channels) throw new Error('window batches differ in shape');
    return sum + b.data.length;
  }, 0);
  const data = new Float32Array(size);
  let offset = 0;
  for (const b of batches) {
    data.set(b.data, offset);
    offset += b.data.length;
  }
  return { data, batch: size / (first.steps * first.channels), steps: first.steps, channels: first.channels };
}

/** Selects windows by index into a new batch. */
export function takeWindows(batch: WindowBatch, indices: ArrayLike<number>): WindowBatch {
  const windowSize = batch.steps * batch.channels;
  const data = new Float32Array(indices.length * windowSize);
  for (let i = 0; i < indices.length; i++) {
    const w = indices[i]!;
    data.set(batch.data.subarray(w * windowSize, (w + 1) * windowSize), i * windowSize);
  }
  return { data, batch: indices.length, steps: batch.steps, channels: batch.channels };
}
