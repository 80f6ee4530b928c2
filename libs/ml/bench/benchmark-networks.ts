/**
 * The two networks the ML-runtime benchmark times, built here rather than imported from models/ so the
 * figures stay comparable while the real VAEs evolve:
 *  - conv VAE: 64×64×1 images, three stride-2 Conv2D (16, 32, 32 filters) down to 8×8, three stride-2
 *    Conv2DTranspose (32, 16, 1) back up, latent 32;
 *  - 1D-CNN VAE: windows of 30 steps × 14 channels (C-MAPSS-like), Conv1D encoder, Dense+Conv1D decoder.
 * Each comes as encoder (→ mean, log-variance), decoder, the deterministic reconstruction model
 * decoder(encoder(x).mean) that scoring serves, and a training step (Adam, MSE + KL, reparameterised).
 *
 * @example
 *   const vae = buildConvVae();
 *   const step = trainingStep(vae, 1e-3);
 *   step(batch); // one optimiser update, returns the loss
 */
import { tf } from '../src/runtime';

export interface BenchVae {
  name: string;
  inputShape: number[];
  encoder: tf.LayersModel;
  decoder: tf.LayersModel;
  reconstruction: tf.LayersModel;
}

const L = tf.layers;

function assemble(name: string, inputShape: number[], encoder: tf.LayersModel, decoder: tf.LayersModel): BenchVae {
  const input = tf.input({ shape: inputShape, name: 'x' });
  const [mean] = encoder.apply(input) as tf.SymbolicTensor[];
  const reconstruction = tf.model({ inputs: input, outputs: decoder.apply(mean as tf.SymbolicTensor) as tf.SymbolicTensor, name: `${name}_reconstruction` });
  return { name, inputShape, encoder, decoder, reconstruction };
}

function latentHeads(features: tf.SymbolicTensor, latentDim: number): tf.SymbolicTensor[] {
  return [
    L.dense({ units: latentDim, name: 'z_mean' }).apply(features) as tf.SymbolicTensor,
    L.dense({ units: latentDim, name: 'z_log_var' }).apply(features) as tf.SymbolicTensor,
  ];
}

export function buildConvVae(latentDim = 32): BenchVae {
  const x = tf.input({ shape: [64, 64, 1] });
  let h: tf.SymbolicTensor = x;
  for (const filters of [16, 32, 32]) h = L.conv2d({ filters, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(h) as tf.SymbolicTensor;
  const encoder = tf.model({ inputs: x, outputs: latentHeads(L.flatten().apply(h) as tf.SymbolicTensor, latentDim), name: 'conv_encoder' });

  const z = tf.input({ shape: [latentDim] });
  let d = L.reshape({ targetShape: [8, 8, 32] }).apply(L.dense({ units: 8 * 8 * 32, activation: 'relu' }).apply(z)) as tf.SymbolicTensor;
  d = L.conv2dTranspose({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(d) as tf.SymbolicTensor;
  d = L.conv2dTranspose({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(d) as tf.SymbolicTensor;
  d = L.conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid' }).apply(d) as tf.SymbolicTensor;
  const decoder = tf.model({ inputs: z, outputs: d, name: 'conv_decoder' });
  return assemble('conv-vae-64x64x1', [64, 64, 1], encoder, decoder);
}

export function buildConv1dVae(steps = 30, channels = 14, latentDim = 8): BenchVae {
  const x = tf.input({ shape: [steps, channels] });
  let h = L.conv1d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  h = L.conv1d({ filters: 64, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(h) as tf.SymbolicTensor;
  const encoder = tf.model({ inputs: x, outputs: latentHeads(L.flatten().apply(h) as tf.SymbolicTensor, latentDim), name: 'cnn1d_encoder' });

  const z = tf.input({ shape: [latentDim] });
  let d = L.reshape({ targetShape: [steps, 32] }).apply(L.dense({ units: steps * 32, activation: 'relu' }).apply(z)) as tf.SymbolicTensor;
  d = L.conv1d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(d) as tf.SymbolicTensor;
  d = L.conv1d({ filters: channels, kernelSize: 3, padding: 'same' }).apply(d) as tf.SymbolicTensor;
  const decoder = tf.model({ inputs: z, outputs: d, name: 'cnn1d_decoder' });
  return assemble(`cnn1d-vae-${steps}x${channels}`, [steps, channels], encoder, decoder);
}

/** One Adam update on a batch: per-sample summed squared error plus KL(q(z|x) ‖ N(0, I)), batch mean. */
export function trainingStep(vae: BenchVae, learningRate: number): (x: tf.Tensor) => number {
  const optimizer = tf.train.adam(learningRate);
  return (x) => {
    const loss = optimizer.minimize(() => {
      const [mean, logVar] = vae.encoder.apply(x, { training: true }) as tf.Tensor[];
      const m = mean as tf.Tensor;
      const lv = logVar as tf.Tensor;
      const z = tf.add(m, tf.mul(tf.exp(tf.mul(lv, 0.5)), tf.randomNormal(m.shape)));
      const recon = vae.decoder.apply(z, { training: true }) as tf.Tensor;
      const featureAxes = recon.shape.slice(1).map((_, i) => i + 1);
      const reconstruction = tf.sum(tf.squaredDifference(x, recon), featureAxes);
      const kl = tf.mul(-0.5, tf.sum(tf.sub(tf.add(1, lv), tf.add(tf.square(m), tf.exp(lv))), 1));
      return tf.mean(tf.add(reconstruction, kl)) as tf.Scalar;
    }, true);
    const value = (loss as tf.Scalar).dataSync()[0] as number;
    loss?.dispose();
    return value;
  };
}
