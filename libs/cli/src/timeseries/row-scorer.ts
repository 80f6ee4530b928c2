/**
 * Per-row anomaly scores of a plant series, the same way in training, calibration and scoring:
 * 1. robust-scale each channel (training medians and spreads);
 * 2. VAE: the reconstruction error of the window ending on each row, per channel (rows before the first full
 *    window take the first window's), relative to its typical value on the training rows;
 * 3. level: the squared deviation of each channel's causal rolling mean from a baseline that follows normal
 *    drift but freezes while that channel is anomalous, for at most `maxFreeze` rows (level-tracker.ts), in
 *    training spreads, relative to its typical value — a sustained shift that a window-sized reconstruction can learn to copy still counts, a
 *    temperature drifting slowly beyond the training range does not;
 * 4. score = vaeWeight × VAE + (1 − vaeWeight) × level, a mean over channels, so per-channel contributions
 *    (for the alarms' top channels) add up to the score.
 *
 * @example
 *   const { scores, contributions } = scoreRows(model, parameters, table.values);
 */
import { type VaeWindowModel, slidingWindows } from '@vigil/ml';
import { z } from 'zod';
import { trackedDeviations } from './level-tracker';
import { applyRobustScaling, robustScalingSchema } from './robust-scaling';

export const scoringParametersSchema = z.object({
  robust: robustScalingSchema,
  level: z.object({
    span: z.number().int().positive(),
    tau: z.number().positive(),
    freezeAt: z.number().positive(),
    maxFreeze: z.number().int().positive().optional(),
    scale: z.array(z.number().positive()),
  }),
  mix: z.object({ vaeWeight: z.number().min(0).max(1), vaeReference: z.number().positive(), levelReference: z.number().positive() }),
});
export type ScoringParameters = z.infer<typeof scoringParametersSchema>;

export interface RowScores {
  scores: Float32Array;
  /** `[rows][channels]`, summing to `scores` per row. */
  contributions: Float32Array;
}

const BATCH = 256;

/** Per-row, per-channel VAE reconstruction error (robust units²) of the window ending on each row. */
export function vaeChannelErrors(model: VaeWindowModel, scaled: Float32Array): Float32Array {
  const channels = model.channels;
  const steps = model.steps;
  const rows = scaled.length / channels;
  const windows = slidingWindows(scaled, channels, { steps, stride: 1 });
  const perWindow = new Float32Array(windows.batch * channels);
  const size = steps * channels;
  for (let start = 0; start < windows.batch; start += BATCH) {
    const count = Math.min(BATCH, windows.batch - start);
    const data = windows.data.subarray(start * size, (start + count) * size);
    const { reconstruction } = model.assess({ data, batch: count, steps, channels });
    for (let w = 0; w < count; w++) {
      for (let i = 0; i < size; i++)
        perWindow[(start + w) * channels + (i % channels)]! += (data[w * size + i]! - reconstruction.data[w * size + i]!) ** 2 / steps;
    }
  }
  const out = new Float32Array(rows * channels);
  for (let r = 0; r < rows; r++) {
    const w = Math.max(0, r - steps + 1);
    out.set(perWindow.subarray(w * channels, (w + 1) * channels), r * channels);
  }
  return out;
}

/** Per-row, per-channel squared level deviation (in training spreads) of the rolling mean from the drift baseline. */
export function levelChannelDeviations(level: ScoringParameters['level'], scaled: Float32Array): Float32Array {
  const channels = level.scale.length;
  const deviations = trackedDeviations(scaled, channels, level, level.scale);
  return Float32Array.from(deviations, (d, i) => (d / level.scale[i % channels]!) ** 2);
}

export function combineScores(parameters: ScoringParameters, vae: Float32Array, level: Float32Array, channels: number): RowScores {
  const { vaeWeight, vaeReference, levelReference } = parameters.mix;
  const rows = vae.length / channels;
  const contributions = new Float32Array(vae.length);
  const scores = new Float32Array(rows);
  for (let i = 0; i < vae.length; i++) {
    const value = ((vaeWeight * vae[i]!) / vaeReference + ((1 - vaeWeight) * level[i]!) / levelReference) / channels;
    contributions[i] = value;
    scores[Math.floor(i / channels)]! += value;
  }
  return { scores, contributions };
}

export function scoreRows(model: VaeWindowModel, parameters: ScoringParameters, values: Float32Array): RowScores {
  const scaled = applyRobustScaling(parameters.robust, values);
  return combineScores(parameters, vaeChannelErrors(model, scaled), levelChannelDeviations(parameters.level, scaled), model.channels);
}

/** Mean over channels of `[rows][channels]` data. */
export function rowMeans(values: Float32Array, channels: number): Float32Array {
  const out = new Float32Array(values.length / channels);
  for (let i = 0; i < values.length; i++) out[Math.floor(i / channels)]! += values[i]! / channels;
  return out;
}
