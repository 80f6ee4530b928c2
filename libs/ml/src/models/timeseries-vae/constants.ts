/**
 * Defaults of the time-series VAE. Sized for the pure-JS CPU backend: a few thousand to ~60k parameters, so a
 * C-MAPSS model trains in a minute or two on two shared cores.
 */
import type { TimeSeriesVaeConfig } from './types';

export const DEFAULT_TIMESERIES_VAE_CONFIG: Omit<TimeSeriesVaeConfig, 'steps' | 'channels'> = {
  latentDim: 8,
  encoder: 'cnn',
  hiddenUnits: 32,
  dropout: 0,
  cnn: { filters: [16, 32], kernelSize: 5 },
  transformer: { modelDim: 32, heads: 4, layers: 1, feedForwardDim: 64 },
  decoder: { filters: 16, kernelSize: 5 },
};

/** Upper bounds that catch unit mistakes (a sample rate passed as `steps`) before tfjs allocates gigabytes. */
export const MAX_STEPS = 4096;
export const MAX_CHANNELS = 1024;
export const MAX_LATENT_DIM = 256;
