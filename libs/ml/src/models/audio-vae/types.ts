/** The audio VAE reads context windows of log-mel frames: `[frames][mels]` = the time-series VAE's `[steps][channels]`. */
import type { TimeSeriesVaeConfigInput } from '../timeseries-vae/types';

export type AudioVaeConfigInput = { frames: number; mels: number } & Omit<TimeSeriesVaeConfigInput, 'steps' | 'channels'>;

/** How the log-mel windows were made; stored with the model so scoring computes the same features. */
export interface LogMelFeatureOptions {
  sampleRate: number;
  nFft: number;
  hop: number;
  nMels: number;
  /** Log-mel frames per window (the VAE's steps). */
  frames: number;
  /** Frames between window starts. */
  frameHop: number;
}
