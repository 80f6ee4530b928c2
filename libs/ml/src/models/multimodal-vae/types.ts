/**
 * Shapes and options of the multimodal VAE. One window carries up to three modalities, each a flat
 * `Float32Array` in the layout its config names; any subset may be present.
 *
 * - sensor `[steps][channels]` (raw channel values, the model standardises them),
 * - audio `[frames][mels]` (log-mel dB, see `multimodal-features.ts`),
 * - image `[height][width][channels]` (pixels of the thermal frame, downsampled to the configured size).
 */

export const MODALITIES = ['sensor', 'audio', 'image'] as const;
export type ModalityName = (typeof MODALITIES)[number];

/** One window's inputs: a modality left out is *missing* and takes no part in fusion or the score. */
export type MultimodalInputs = Partial<Record<ModalityName, Float32Array>>;

/** How the modality experts are fused into one posterior. */
export type FusionKind = 'poe' | 'moe';

export interface SequenceShape {
  /** Time steps (sensor samples, log-mel frames). */
  steps: number;
  /** Features per step (sensor channels, mel bands). */
  channels: number;
}

export interface ImageShape {
  height: number;
  width: number;
  channels: number;
}

export interface MultimodalVaeConfig {
  /** The modalities this model has encoders and decoders for (a subset of `MODALITIES`, in that order). */
  modalities: ModalityName[];
  sensor: SequenceShape;
  audio: SequenceShape;
  image: ImageShape;
  latentDim: number;
  /** Width of every modality's tokens (and of the attention block). */
  tokenDim: number;
  /** Width of the dense layer between tokens and the Gaussian heads, and of the decoders' first layer. */
  hiddenUnits: number;
  fusion: FusionKind;
  /** Cross-modal attention between the modalities' token sequences before the experts (off: independent experts). */
  crossAttention: boolean;
  attentionHeads: number;
  /** β of the β-VAE loss. */
  beta: number;
}

export type MultimodalVaeConfigInput = Partial<Omit<MultimodalVaeConfig, 'sensor' | 'audio' | 'image'>> & {
  sensor?: Partial<SequenceShape>;
  audio?: Partial<SequenceShape>;
  image?: Partial<ImageShape>;
};

/** A diagonal Gaussian per window: `[batch][latentDim]` each. */
export interface GaussianBatch {
  mean: Float32Array;
  logVar: Float32Array;
}

/** What scoring one window gives. */
export interface MultimodalAssessment {
  /** Mean over the present modalities of their calibrated errors (≈ 1 on normal windows whatever the subset). */
  score: number;
  /** Each present modality's calibrated reconstruction error (error / its mean error on normal data). */
  perModality: Partial<Record<ModalityName, number>>;
  /** Each present modality's share of the score (sums to 1): the modality a root cause names. */
  shares: Partial<Record<ModalityName, number>>;
  present: ModalityName[];
  /** The fused posterior's mean, `[latentDim]`. */
  latentMean: Float32Array;
}
