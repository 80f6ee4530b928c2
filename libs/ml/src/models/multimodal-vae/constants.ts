/**
 * Defaults of the multimodal VAE, sized for the synthetic pump fleet at the detector's 3 s window: 30 sensor
 * readings (10 Hz) × 7 channels, 24 log-mel frames × 32 mels of 16 kHz sound, one 32 × 32 thermal frame. About
 * 0.3 M parameters: trains in minutes on two shared cores.
 */
import type { MultimodalVaeConfig } from './types';

export const DEFAULT_MULTIMODAL_VAE_CONFIG: MultimodalVaeConfig = {
  modalities: ['sensor', 'audio', 'image'],
  sensor: { steps: 30, channels: 7 },
  audio: { steps: 24, channels: 32 },
  image: { height: 32, width: 32, channels: 1 },
  latentDim: 16,
  tokenDim: 16,
  hiddenUnits: 64,
  fusion: 'poe',
  crossAttention: true,
  attentionHeads: 2,
  beta: 0.5,
};

/** Upper bounds that catch unit mistakes before tfjs allocates gigabytes. */
export const MAX_SEQUENCE_STEPS = 4096;
export const MAX_IMAGE_SIDE = 512;
export const MAX_LATENT_DIM = 256;
