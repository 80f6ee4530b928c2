/**
 * The two encoders of the time-series VAE, as pure builders: config in, a `tf.LayersModel` out that maps a
 * window `[batch, steps, channels]` to the posterior `[mean, logVar]`, each `[batch, latentDim]`.
 *
 * - `cnnEncoder`: Conv1D blocks (the first keeps the time resolution, later ones stride 2), Flatten, Dense.
 * - `transformerEncoder`: a Conv1D token embedding (kernel 3: each token sees its neighbours), pre-norm attention
 *   blocks (MultiHeadSelfAttention + position-wise feed-forward, both residual), Flatten, Dense.
 * Flatten rather than pooling keeps *where* in the window something happened, which matters for reconstruction.
 *
 * @example
 *   const enc = encoder(resolveTimeSeriesVaeConfig({ steps: 30, channels: 14 }));
 *   const [mean, logVar] = enc.predict(x) as tf.Tensor[];
 */
import { tf } from '../../runtime';
import { layerNormalization } from './layer-normalization';
import { MultiHeadSelfAttention } from './multi-head-self-attention.layer';
import type { TimeSeriesVaeConfig } from './types';

type SymbolicTensor = ReturnType<typeof tf.input>;
type LayersModel = ReturnType<typeof tf.model>;

function apply(layer: { apply(x: SymbolicTensor | SymbolicTensor[]): unknown }, x: SymbolicTensor | SymbolicTensor[]): SymbolicTensor {
  return layer.apply(x) as SymbolicTensor;
}

function latentHeads(features: SymbolicTensor, config: TimeSeriesVaeConfig): [SymbolicTensor, SymbolicTensor] {
  let h = apply(tf.layers.flatten({ name: 'encoder_flatten' }), features);
  h = apply(tf.layers.dense({ units: config.hiddenUnits, activation: 'relu', name: 'encoder_hidden' }), h);
  if (config.dropout > 0) h = apply(tf.layers.dropout({ rate: config.dropout, name: 'encoder_dropout' }), h);
  const mean = apply(tf.layers.dense({ units: config.latentDim, name: 'encoder_mean' }), h);
  // Zero-initialised so training starts at unit posterior variance instead of a random, possibly huge, one.
  const logVar = apply(tf.layers.dense({ units: config.latentDim, kernelInitializer: 'zeros', name: 'encoder_log_var' }), h);
  return [mean, logVar];
}

export function cnnEncoder(config: TimeSeriesVaeConfig): LayersModel {
  const input = tf.input({ shape: [config.steps, config.channels], name: 'window' });
  let h = input;
  config.cnn.filters.forEach((filters, i) => {
    h = apply(
      tf.layers.conv1d({ filters, kernelSize: config.cnn.kernelSize, strides: i === 0 ? 1 : 2, padding: 'same', activation: 'relu', name: `encoder_conv_${i + 1}` }),
      h,
    );
  });
  return tf.model({ inputs: input, outputs: latentHeads(h, config), name: 'cnn_encoder' });
}

export function transformerEncoder(config: TimeSeriesVaeConfig): LayersModel {
  const { modelDim, heads, layers, feedForwardDim } = config.transformer;
  const input = tf.input({ shape: [config.steps, config.channels], name: 'window' });
  let h = apply(tf.layers.conv1d({ filters: modelDim, kernelSize: 3, padding: 'same', name: 'encoder_token_embedding' }), input);
  for (let i = 1; i <= layers; i++) {
    const attended = apply(new MultiHeadSelfAttention({ heads, name: `encoder_attention_${i}` }), apply(layerNormalization({ name: `encoder_attention_norm_${i}` }), h));
    h = apply(tf.layers.add({ name: `encoder_attention_residual_${i}` }), [h, attended]);
    let ff = apply(layerNormalization({ name: `encoder_ff_norm_${i}` }), h);
    ff = apply(tf.layers.dense({ units: feedForwardDim, activation: 'relu', name: `encoder_ff_in_${i}` }), ff);
    ff = apply(tf.layers.dense({ units: modelDim, name: `encoder_ff_out_${i}` }), ff);
    h = apply(tf.layers.add({ name: `encoder_ff_residual_${i}` }), [h, ff]);
  }
  h = apply(layerNormalization({ name: 'encoder_final_norm' }), h);
  return tf.model({ inputs: input, outputs: latentHeads(h, config), name: 'transformer_encoder' });
}

/** The encoder the config selects. */
export function encoder(config: TimeSeriesVaeConfig): LayersModel {
  return config.encoder === 'transformer' ? transformerEncoder(config) : cnnEncoder(config);
}

/**
 * Dense → Reshape to `[steps, filters]` → Conv1D (smooths along time) → Conv1D kernel 1 to the channels: the
 * decoder mean. Works for any `steps` (no stride arithmetic), which the bring-your-own-data CLI needs.
 */
export function decoder(config: TimeSeriesVaeConfig): LayersModel {
  const z = tf.input({ shape: [config.latentDim], name: 'latent' });
  let h = apply(tf.layers.dense({ units: config.hiddenUnits, activation: 'relu', name: 'decoder_hidden' }), z);
  h = apply(tf.layers.dense({ units: config.steps * config.decoder.filters, activation: 'relu', name: 'decoder_expand' }), h);
  h = apply(tf.layers.reshape({ targetShape: [config.steps, config.decoder.filters], name: 'decoder_reshape' }), h);
  h = apply(
    tf.layers.conv1d({ filters: config.decoder.filters, kernelSize: config.decoder.kernelSize, padding: 'same', activation: 'relu', name: 'decoder_conv' }),
    h,
  );
  const out = apply(tf.layers.conv1d({ filters: config.channels, kernelSize: 1, name: 'decoder_mean' }), h);
  return tf.model({ inputs: z, outputs: out, name: 'decoder' });
}
