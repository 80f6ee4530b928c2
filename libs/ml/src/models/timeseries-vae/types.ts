/**
 * Configuration and shapes of the time-series VAE. A window is `[steps][channels]`; the encoder maps it to a
 * diagonal Gaussian over `latentDim` codes and the decoder maps a code back to the window's mean.
 */

/** Which encoder reads the window: a 1D-CNN (local patterns, fast) or a Transformer (global attention). */
export type EncoderKind = 'cnn' | 'transformer';

export interface CnnEncoderOptions {
  /** Filters of each Conv1D block; every block after the first halves the time axis (stride 2). */
  filters: number[];
  kernelSize: number;
}

export interface TransformerEncoderOptions {
  /** Width of the token embedding and of every attention block. */
  modelDim: number;
  heads: number;
  layers: number;
  feedForwardDim: number;
}

export interface DecoderOptions {
  /** Channels of the hidden sequence the decoder upsamples the code into before the output projection. */
  filters: number;
  kernelSize: number;
}

export interface TimeSeriesVaeConfig {
  steps: number;
  channels: number;
  latentDim: number;
  encoder: EncoderKind;
  /** Width of the dense layer between the encoder's sequence features and the latent heads (and its mirror). */
  hiddenUnits: number;
  dropout: number;
  cnn: CnnEncoderOptions;
  transformer: TransformerEncoderOptions;
  decoder: DecoderOptions;
}

/** What callers may pass: `steps` and `channels` are required, everything else falls back to defaults. */
export type TimeSeriesVaeConfigInput = Pick<TimeSeriesVaeConfig, 'steps' | 'channels'> &
  Partial<Omit<TimeSeriesVaeConfig, 'steps' | 'channels' | 'cnn' | 'transformer' | 'decoder'>> & {
    cnn?: Partial<CnnEncoderOptions>;
    transformer?: Partial<TransformerEncoderOptions>;
    decoder?: Partial<DecoderOptions>;
  };
