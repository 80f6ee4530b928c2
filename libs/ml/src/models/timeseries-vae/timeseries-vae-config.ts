/**
 * Merges a partial time-series VAE configuration with the defaults and validates it in one place, so builders
 * can trust every field and a bad value fails before any tensor is allocated, with the field named.
 *
 * @example
 *   const config = resolveTimeSeriesVaeConfig({ steps: 30, channels: 14, encoder: 'transformer' });
 */
import { DEFAULT_TIMESERIES_VAE_CONFIG, MAX_CHANNELS, MAX_LATENT_DIM, MAX_STEPS } from './constants';
import type { TimeSeriesVaeConfig, TimeSeriesVaeConfigInput } from './types';

export class InvalidModelConfigError extends Error {
  override readonly name = 'InvalidModelConfigError';
}

function requireInteger(field: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidModelConfigError(`${field} must be an integer in [${min}, ${max}], got ${value}`);
  }
}

export function resolveTimeSeriesVaeConfig(input: TimeSeriesVaeConfigInput): TimeSeriesVaeConfig {
  const defaults = DEFAULT_TIMESERIES_VAE_CONFIG;
  const config: TimeSeriesVaeConfig = {
    ...defaults,
    ...input,
    cnn: { ...defaults.cnn, ...input.cnn },
    transformer: { ...defaults.transformer, ...input.transformer },
    decoder: { ...defaults.decoder, ...input.decoder },
  };
  requireInteger('steps', config.steps, 2, MAX_STEPS);
  requireInteger('channels', config.channels, 1, MAX_CHANNELS);
  requireInteger('latentDim', config.latentDim, 1, MAX_LATENT_DIM);
  requireInteger('hiddenUnits', config.hiddenUnits, 1);
  if (config.encoder !== 'cnn' && config.encoder !== 'transformer') {
    throw new InvalidModelConfigError(`encoder must be "cnn" or "transformer", got "${String(config.encoder)}"`);
  }
  if (!(config.dropout >= 0 && config.dropout < 1)) throw new InvalidModelConfigError(`dropout must be in [0, 1), got ${config.dropout}`);
  if (config.cnn.filters.length === 0) throw new InvalidModelConfigError('cnn.filters must name at least one block');
  config.cnn.filters.forEach((f, i) => requireInteger(`cnn.filters[${i}]`, f, 1));
  requireInteger('cnn.kernelSize', config.cnn.kernelSize, 1, config.steps);
  const { modelDim, heads, layers, feedForwardDim } = config.transformer;
  requireInteger('transformer.modelDim', modelDim, 1);
  requireInteger('transformer.heads', heads, 1, modelDim);
  if (modelDim % heads !== 0) {
    throw new InvalidModelConfigError(`transformer.modelDim (${modelDim}) must be divisible by transformer.heads (${heads})`);
  }
  requireInteger('transformer.layers', layers, 1, 12);
  requireInteger('transformer.feedForwardDim', feedForwardDim, 1);
  requireInteger('decoder.filters', config.decoder.filters, 1);
  requireInteger('decoder.kernelSize', config.decoder.kernelSize, 1, config.steps);
  return config;
}
