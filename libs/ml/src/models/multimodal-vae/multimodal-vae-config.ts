/**
 * Merges a partial multimodal VAE config with the defaults and validates it in one place, with precise errors.
 *
 * @example
 *   const config = resolveMultimodalVaeConfig({ fusion: 'moe', modalities: ['sensor', 'audio'] });
 */
import { InvalidModelConfigError } from '../timeseries-vae/timeseries-vae-config';
import { DEFAULT_MULTIMODAL_VAE_CONFIG, MAX_IMAGE_SIDE, MAX_LATENT_DIM, MAX_SEQUENCE_STEPS } from './constants';
import { MODALITIES, type ModalityName, type MultimodalVaeConfig, type MultimodalVaeConfigInput } from './types';

function requireInteger(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidModelConfigError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}

export function resolveMultimodalVaeConfig(input: MultimodalVaeConfigInput = {}): MultimodalVaeConfig {
  const d = DEFAULT_MULTIMODAL_VAE_CONFIG;
  const config: MultimodalVaeConfig = {
    ...d,
    ...input,
    modalities: input.modalities ? [...input.modalities] : [...d.modalities],
    sensor: { ...d.sensor, ...input.sensor },
    audio: { ...d.audio, ...input.audio },
    image: { ...d.image, ...input.image },
  };
  const unknown = config.modalities.filter((m) => !(MODALITIES as readonly string[]).includes(m));
  if (unknown.length > 0) throw new InvalidModelConfigError(`unknown modalities ${unknown.join(', ')}; known: ${MODALITIES.join(', ')}`);
  if (config.modalities.length === 0) throw new InvalidModelConfigError('modalities must name at least one modality');
  if (new Set(config.modalities).size !== config.modalities.length) throw new InvalidModelConfigError('modalities must not repeat');
  // A fixed order keeps weight files and ONNX exports stable whatever order the caller listed.
  config.modalities = MODALITIES.filter((m) => config.modalities.includes(m)) as ModalityName[];
  for (const m of ['sensor', 'audio'] as const) {
    requireInteger(`${m}.steps`, config[m].steps, 4, MAX_SEQUENCE_STEPS);
    requireInteger(`${m}.channels`, config[m].channels, 1, 1024);
  }
  requireInteger('image.height', config.image.height, 8, MAX_IMAGE_SIDE);
  requireInteger('image.width', config.image.width, 8, MAX_IMAGE_SIDE);
  if (config.image.height % 4 !== 0 || config.image.width % 4 !== 0) {
    throw new InvalidModelConfigError(`image.height and image.width must be multiples of 4 (two stride-2 convolutions), got ${config.image.height}×${config.image.width}`);
  }
  requireInteger('image.channels', config.image.channels, 1, 4);
  requireInteger('latentDim', config.latentDim, 1, MAX_LATENT_DIM);
  requireInteger('tokenDim', config.tokenDim, 2, 512);
  requireInteger('hiddenUnits', config.hiddenUnits, 1, 4096);
  requireInteger('attentionHeads', config.attentionHeads, 1, config.tokenDim);
  if (config.tokenDim % config.attentionHeads !== 0) {
    throw new InvalidModelConfigError(`tokenDim (${config.tokenDim}) must be divisible by attentionHeads (${config.attentionHeads})`);
  }
  if (config.fusion !== 'poe' && config.fusion !== 'moe') throw new InvalidModelConfigError(`fusion must be "poe" or "moe", got "${String(config.fusion)}"`);
  if (!(config.beta >= 0)) throw new InvalidModelConfigError(`beta must be ≥ 0, got ${config.beta}`);
  return config;
}

/** Number of floats of one window of a modality. */
export function inputSize(config: MultimodalVaeConfig, modality: ModalityName): number {
  if (modality === 'image') return config.image.height * config.image.width * config.image.channels;
  return config[modality].steps * config[modality].channels;
}

/** The per-window shape of a modality's input tensor (without the batch axis). */
export function inputShape(config: MultimodalVaeConfig, modality: ModalityName): number[] {
  if (modality === 'image') return [config.image.height, config.image.width, config.image.channels];
  return [config[modality].steps, config[modality].channels];
}

/** Tokens each modality's encoder emits (the sequence the cross-modal attention reads). */
export function tokenCount(config: MultimodalVaeConfig, modality: ModalityName): number {
  if (modality === 'image') return (config.image.height / 4) * (config.image.width / 4);
  return Math.ceil(config[modality].steps / 2);
}
