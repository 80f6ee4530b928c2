/**
 * Audio VAE defaults: small convolutions along time over all mel bands (a band pattern is a "channel" pattern),
 * a wider hidden layer than the sensor model since a window holds more values (e.g. 8 frames × 32 mels).
 */
import type { TimeSeriesVaeConfigInput } from '../timeseries-vae/types';

export const DEFAULT_AUDIO_VAE_CONFIG: Omit<TimeSeriesVaeConfigInput, 'steps' | 'channels'> = {
  encoder: 'cnn',
  latentDim: 8,
  hiddenUnits: 64,
  cnn: { filters: [32, 32], kernelSize: 3 },
  decoder: { filters: 32, kernelSize: 3 },
};
