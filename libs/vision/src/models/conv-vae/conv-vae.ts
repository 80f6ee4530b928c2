/**
 * The plan's 2D-CNN VAE on grey images: three strided convolutions → (μ, log σ²) → three transposed convolutions.
 * Loss = α·(1 − SSIM) + (1 − α)·MSE + β·KL. The anomaly map is the per-pixel squared reconstruction error of the
 * posterior mean, smoothed; the image score its maximum. Pure builders and maths here, the VisionModel wrapper in
 * conv-vae.model.ts.
 *
 * @example
 *   const vae = buildConvVae({ size: 64, latent: 16, seed: 3 });
 *   trainConvVae(vae, images, { epochs: 10, beta: 0.01, ssimWeight: 0.8, seed: 3 });
 *   const { maps, mean, logVar } = reconstructionMaps(vae, batch);
 */
import { tf } from '@vigil/ml';
import { mulberry32 } from '@vigil/features';
import { ssim } from './ssim';

export interface ConvVaeConfig {
  /** Square input side, divisible by 8. */
  size: number;
  latent: number;
  seed: number;
}

export interface ConvVae {
  config: ConvVaeConfig;
  encoder: tf.LayersModel;
  decoder: tf.LayersModel;
}

export function buildConvVae(config: ConvVaeConfig): ConvVae {
  if (config.size % 8 !== 0) throw new Error(`conv VAE input size ${config.size} must be divisible by 8`);
  const init = (k: number) => tf.initializers.glorotUniform({ seed: config.seed * 101 + k });
  const input = tf.input({ shape: [config.size, config.size, 1] });
  let x: tf.SymbolicTensor = input;
  [16, 32, 64].forEach((filters, k) => {
    x = tf.layers.conv2d({ filters, kernelSize: 4, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(k) }).apply(x) as tf.SymbolicTensor;
  });
  const flat = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  const mean = tf.layers.dense({ units: config.latent, kernelInitializer: init(10), name: 'z_mean' }).apply(flat) as tf.SymbolicTensor;
  const logVar = tf.layers.dense({ units: config.latent, kernelInitializer: init(11), name: 'z_log_var' }).apply(flat) as tf.SymbolicTensor;
  const encoder = tf.model({ inputs: input, outputs: [mean, logVar], name: 'conv_vae_encoder' });

  const side = config.size / 8;
  const z = tf.input({ shape: [config.latent] });
  let y = tf.layers.dense({ units: side * side * 64, activation: 'relu', kernelInitializer: init(20) }).apply(z) as tf.SymbolicTensor;
  y = tf.layers.reshape({ targetShape: [side, side, 64] }).apply(y) as tf.SymbolicTensor;
  [32, 16].forEach((filters, k) => {
    y = tf.layers.conv2dTranspose({ filters, kernelSize: 4, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(30 + k) }).apply(y) as tf.SymbolicTensor;
  });
  const out = tf.layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', activation: 'sigmoid', kernelInitializer: init(40) }).apply(y) as tf.SymbolicTensor;
  const decoder = tf.model({ inputs: z, outputs: out, name: 'conv_vae_decoder' });
  return { config, encoder, decoder };
}

export interface ConvVaeLossWeights {
  beta: number;
  /** α: share of (1 − SSIM) against MSE in the reconstruction term. */
  ssimWeight: number;
}

/** Scalar loss for a batch `[N, S, S, 1]` in 0..1, with a reparameterised sample drawn from `noise`. */
export function convVaeLoss(vae: ConvVae, batch: tf.Tensor4D, noise: tf.Tensor2D, weights: ConvVaeLossWeights): tf.Scalar {
  return tf.tidy(() => {
    const [mean, logVar] = vae.encoder.apply(batch) as tf.Tensor2D[];
    const z = tf.add(mean!, tf.mul(tf.exp(tf.mul(0.5, logVar!)), noise));
    const recon = vae.decoder.apply(z) as tf.Tensor4D;
    const mse = tf.mean(tf.square(tf.sub(batch, recon)));
    const structural = tf.sub(1, tf.mean(ssim(batch, recon)));
    const kl = tf.mean(tf.sum(tf.mul(-0.5, tf.sub(tf.sub(tf.add(1, logVar!), tf.square(mean!)), tf.exp(logVar!))), 1));
    const reconstruction = tf.add(tf.mul(weights.ssimWeight, structural), tf.mul(1 - weights.ssimWeight, mse));
    return tf.add(reconstruction, tf.mul(weights.beta, kl)) as tf.Scalar;
  });
}

export interface ConvVaeTrainOptions extends ConvVaeLossWeights {
  epochs: number;
  batchSize?: number;
  learningRate?: number;
  seed: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

/** Mini-batch Adam over `images` (`[N, S, S, 1]`, 0..1); shuffles and noise are seeded. */
export function trainConvVae(vae: ConvVae, images: Float32Array, count: number, options: ConvVaeTrainOptions): number[] {
  const { size, latent } = vae.config;
  const pixels = size * size;
  const batchSize = options.batchSize ?? 16;
  const optimizer = tf.train.adam(options.learningRate ?? 1e-3);
  const random = mulberry32(options.seed);
  const losses: number[] = [];
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const order = Array.from({ length: count }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let total = 0;
    for (let start = 0; start < count; start += batchSize) {
      const picked = order.slice(start, start + batchSize);
      const data = new Float32Array(picked.length * pixels);
      picked.forEach((index, k) => data.set(images.subarray(index * pixels, (index + 1) * pixels), k * pixels));
      const loss = tf.tidy(() => {
        const batch = tf.tensor4d(data, [picked.length, size, size, 1]);
        const noise = tf.randomNormal([picked.length, latent], 0, 1, 'float32', Math.floor(random() * 2 ** 31)) as tf.Tensor2D;
        return optimizer.minimize(() => convVaeLoss(vae, batch, noise, options), true) as tf.Scalar;
      });
      total += loss.dataSync()[0]! * picked.length;
      loss.dispose();
    }
    losses.push(total / count);
    options.onEpoch?.(epoch, total / count);
  }
  optimizer.dispose();
  return losses;
}

/** Per-pixel squared error of the posterior-mean reconstruction, and the posterior, for `[N, S, S, 1]` images. */
export function reconstructionMaps(vae: ConvVae, images: Float32Array, count: number): { maps: Float32Array; mean: Float32Array; logVar: Float32Array } {
  const { size } = vae.config;
  return tf.tidy(() => {
    const batch = tf.tensor4d(images, [count, size, size, 1]);
    const [mean, logVar] = vae.encoder.predict(batch) as tf.Tensor2D[];
    const recon = vae.decoder.predict(mean!) as tf.Tensor4D;
    const maps = tf.square(tf.sub(batch, recon));
    return { maps: maps.dataSync() as Float32Array, mean: mean!.dataSync() as Float32Array, logVar: logVar!.dataSync() as Float32Array };
  });
}
