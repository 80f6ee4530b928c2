/**
 * The per-modality networks of the multimodal VAE, as pure builders (config in, `tf.LayersModel` out), so each
 * part trains in the fused model and exports to ONNX on its own:
 *
 * - `tokenizer(config, m)`: a normalised window of modality m → tokens `[T_m, tokenDim]` (two convolutions; the
 *   second strides 2: sensor/audio Conv1D over time, image Conv2D to an (h/4)·(w/4) grid of tokens).
 * - `expertHead(config, m)`: tokens (+ the other modalities' tokens and their presence mask, when cross-modal
 *   attention is on) → the Gaussian expert `[mean, logVar]`, each `[latentDim]`.
 * - `modalityDecoder(config, m)`: a latent code → the modality's normalised window (the decoder mean).
 *
 * @example
 *   const tokens = tokenizer(config, 'audio').predict(x) as tf.Tensor;          // [batch, 12, 16]
 */
import { tf } from '../../runtime';
import { layerNormalization } from '../timeseries-vae/layer-normalization';
import { CrossModalAttention } from './cross-modal-attention.layer';
import { inputShape, tokenCount } from './multimodal-vae-config';
import type { ModalityName, MultimodalVaeConfig } from './types';

type SymbolicTensor = ReturnType<typeof tf.input>;
type LayersModel = ReturnType<typeof tf.model>;

/** Filters of the image encoder's first convolution and of the image decoder's hidden grid. */
const IMAGE_FILTERS = 8;
/** Channels of the hidden sequence the sequence decoders expand the code into. */
const SEQUENCE_DECODER_FILTERS = 16;

function apply(layer: { apply(x: SymbolicTensor | SymbolicTensor[]): unknown }, x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor {
  return layer.apply(x) as SymbolicTensor;
}

export function tokenizer(config: MultimodalVaeConfig, modality: ModalityName): LayersModel {
  const input = tf.input({ shape: inputShape(config, modality), name: `${modality}_window` });
  const D = config.tokenDim;
  let h: SymbolicTensor;
  if (modality === 'image') {
    h = apply(tf.layers.conv2d({ filters: IMAGE_FILTERS, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'image_conv_1' }), input);
    h = apply(tf.layers.conv2d({ filters: D, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'image_conv_2' }), h);
    h = apply(tf.layers.reshape({ targetShape: [tokenCount(config, 'image'), D], name: 'image_tokens' }), h);
  } else {
    h = apply(tf.layers.conv1d({ filters: D, kernelSize: 3, padding: 'same', activation: 'relu', name: `${modality}_conv_1` }), input);
    h = apply(tf.layers.conv1d({ filters: D, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: `${modality}_conv_2` }), h);
  }
  return tf.model({ inputs: input, outputs: h, name: `${modality}_tokenizer` });
}

/** The other modalities of the model, in config order: whose tokens form modality m's attention context. */
export function contextModalities(config: MultimodalVaeConfig, modality: ModalityName): ModalityName[] {
  return config.modalities.filter((m) => m !== modality);
}

export function contextTokenCount(config: MultimodalVaeConfig, modality: ModalityName): number {
  return contextModalities(config, modality).reduce((n, m) => n + tokenCount(config, m), 0);
}

/** True when the expert head of m takes a context (attention on and some other modality exists). */
export function attends(config: MultimodalVaeConfig, modality: ModalityName): boolean {
  return config.crossAttention && contextTokenCount(config, modality) > 0;
}

export function expertHead(config: MultimodalVaeConfig, modality: ModalityName): LayersModel {
  const D = config.tokenDim;
  const tokens = tf.input({ shape: [tokenCount(config, modality), D], name: `${modality}_tokens` });
  const inputs = [tokens];
  let h = tokens;
  if (attends(config, modality)) {
    const contextTokens = contextTokenCount(config, modality);
    const context = tf.input({ shape: [contextTokens, D], name: `${modality}_context` });
    const mask = tf.input({ shape: [contextTokens], name: `${modality}_context_mask` });
    inputs.push(context, mask);
    const normed = apply(layerNormalization({ name: `${modality}_attention_norm` }), tokens);
    const attended = apply(new CrossModalAttention({ heads: config.attentionHeads, name: `${modality}_cross_attention` }), [normed, context, mask]);
    h = apply(tf.layers.add({ name: `${modality}_attention_residual` }), [tokens, attended]);
  }
  h = apply(tf.layers.flatten({ name: `${modality}_flatten` }), h);
  h = apply(tf.layers.dense({ units: config.hiddenUnits, activation: 'relu', name: `${modality}_hidden` }), h);
  const mean = apply(tf.layers.dense({ units: config.latentDim, name: `${modality}_mean` }), h);
  // Zero-initialised so training starts at unit expert variance: with PoE a random, tiny variance of one
  // expert would otherwise drown the others from the first step.
  const logVar = apply(tf.layers.dense({ units: config.latentDim, kernelInitializer: 'zeros', name: `${modality}_log_var` }), h);
  return tf.model({ inputs, outputs: [mean, logVar], name: `${modality}_expert` });
}

export function modalityDecoder(config: MultimodalVaeConfig, modality: ModalityName): LayersModel {
  const z = tf.input({ shape: [config.latentDim], name: 'latent' });
  let h = apply(tf.layers.dense({ units: config.hiddenUnits, activation: 'relu', name: `${modality}_decoder_hidden` }), z);
  let out: SymbolicTensor;
  if (modality === 'image') {
    const { height, width, channels } = config.image;
    h = apply(tf.layers.dense({ units: (height / 4) * (width / 4) * SEQUENCE_DECODER_FILTERS, activation: 'relu', name: 'image_decoder_expand' }), h);
    h = apply(tf.layers.reshape({ targetShape: [height / 4, width / 4, SEQUENCE_DECODER_FILTERS], name: 'image_decoder_grid' }), h);
    h = apply(tf.layers.conv2dTranspose({ filters: IMAGE_FILTERS, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'image_decoder_up_1' }), h);
    out = apply(tf.layers.conv2dTranspose({ filters: channels, kernelSize: 3, strides: 2, padding: 'same', name: 'image_decoder_mean' }), h);
  } else {
    const { steps, channels } = config[modality];
    h = apply(tf.layers.dense({ units: steps * SEQUENCE_DECODER_FILTERS, activation: 'relu', name: `${modality}_decoder_expand` }), h);
    h = apply(tf.layers.reshape({ targetShape: [steps, SEQUENCE_DECODER_FILTERS], name: `${modality}_decoder_sequence` }), h);
    h = apply(tf.layers.conv1d({ filters: SEQUENCE_DECODER_FILTERS, kernelSize: 3, padding: 'same', activation: 'relu', name: `${modality}_decoder_conv` }), h);
    out = apply(tf.layers.conv1d({ filters: channels, kernelSize: 1, name: `${modality}_decoder_mean` }), h);
  }
  return tf.model({ inputs: z, outputs: out, name: `${modality}_decoder` });
}
