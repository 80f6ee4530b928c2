/**
 * The audio VAE: the time-series VAE over log-mel context windows (steps = frames, channels = mel bands), with
 * audio defaults. Features come from `logMelWindows` in @vigil/datasets; the model itself never sees samples.
 * Trained and saved like any window model (registry kind `audio-vae`), so the detector scores it through
 * `WindowModel` and needs only the stored `LogMelFeatureOptions` to compute its input.
 *
 * @example
 *   const config = audioVaeConfig({ frames: 8, mels: 32 });
 *   const { model } = fitWindowVae({ windows: logMel, channelNames: melBandNames(32), model: audioVaeModelOptions() });
 */
import { resolveTimeSeriesVaeConfig } from '../timeseries-vae/timeseries-vae-config';
import type { TimeSeriesVaeConfig, TimeSeriesVaeConfigInput } from '../timeseries-vae/types';
import { DEFAULT_AUDIO_VAE_CONFIG } from './constants';
import type { AudioVaeConfigInput } from './types';

/** Architecture options for `fitWindowVae` (steps/channels come from the windows): audio defaults + overrides. */
export function audioVaeModelOptions(overrides: Omit<TimeSeriesVaeConfigInput, 'steps' | 'channels'> = {}): Omit<TimeSeriesVaeConfigInput, 'steps' | 'channels'> {
  return {
    ...DEFAULT_AUDIO_VAE_CONFIG,
    ...overrides,
    cnn: { ...DEFAULT_AUDIO_VAE_CONFIG.cnn, ...overrides.cnn },
    decoder: { ...DEFAULT_AUDIO_VAE_CONFIG.decoder, ...overrides.decoder },
  };
}

export function audioVaeConfig(input: AudioVaeConfigInput): TimeSeriesVaeConfig {
  const { frames, mels, ...rest } = input;
  return resolveTimeSeriesVaeConfig({ ...audioVaeModelOptions(rest), steps: frames, channels: mels });
}

/** Channel names for reports: `mel_00` … */
export function melBandNames(mels: number): string[] {
  return Array.from({ length: mels }, (_, i) => `mel_${String(i).padStart(2, '0')}`);
}
