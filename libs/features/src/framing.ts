/**
 * Cuts a 1-D signal into fixed-length, possibly overlapping frames, in the `[batch][steps][channels]` layout of
 * @vigil/ml's WindowBatch (channels = 1), and stacks consecutive feature frames into context windows (the DCASE
 * baseline feeds 5 log-mel frames at a time). Incomplete tails are dropped.
 *
 * @example
 *   const windows = frameSignal(vibration, 2048, 1024);                  // { data, batch, steps: 2048, channels: 1 }
 *   const context = stackFrames(logMel.data, logMel.frames, 128, 5, 1);  // { steps: 5, channels: 128 }
 */

export interface FrameBatch {
  data: Float32Array;
  batch: number;
  steps: number;
  channels: number;
}

export function frameSignal(x: ArrayLike<number>, frameLength: number, hop = frameLength): FrameBatch {
  return stackFrames(x, x.length, 1, frameLength, hop);
}

/**
 * Windows of `steps` consecutive rows of a row-major `[rows][channels]` matrix, starting every `hop` rows.
 */
export function stackFrames(matrix: ArrayLike<number>, rows: number, channels: number, steps: number, hop = 1): FrameBatch {
  if (matrix.length !== rows * channels) throw new RangeError(`expected ${rows}×${channels} values, got ${matrix.length}`);
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`window length must be a positive integer, got ${steps}`);
  if (!Number.isInteger(hop) || hop < 1) throw new RangeError(`hop must be a positive integer, got ${hop}`);
  const batch = rows >= steps ? Math.floor((rows - steps) / hop) + 1 : 0;
  const size = steps * channels;
  const data = new Float32Array(batch * size);
  for (let b = 0; b < batch; b++) {
    const start = b * hop * channels;
    for (let i = 0; i < size; i++) data[b * size + i] = matrix[start + i]!;
  }
  return { data, batch, steps, channels };
}
