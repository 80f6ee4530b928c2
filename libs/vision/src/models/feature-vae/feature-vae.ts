/**
 * A small β-VAE over patch features, shared by all grid positions with the position as an input (a 2-D sine/cosine
 * code given to encoder and decoder). It models what is left after the per-position Gaussian: its input is the
 * patch's whitened residual u = W_p(x − μ_p) (principal axes, see gaussian-fit), for which the Gaussian's score is
 * ‖u‖. The anomaly map is the per-patch negative ELBO (squared reconstruction error of the posterior mean + β·KL),
 * so the VAE adds to the Gaussian only where normal residuals have structure a Gaussian cannot hold.
 *
 * @example
 *   const vae = buildFeatureVae({ inputDims: 100, hidden: 128, latent: 16, seed: 1 });
 *   trainFeatureVae(vae, residuals, positions, grid, { epochs: 3, beta: 0.1, seed: 1 });
 *   const nelbo = featureVaeScores(vae, residuals, positions, grid); // one value per patch
 */
import { mulberry32 } from '@vigil/features';
import { tf } from '@vigil/ml';

export interface FeatureVaeConfig {
  inputDims: number;
  hidden: number;
  latent: number;
  seed: number;
  /** Sine/cosine frequencies per axis of the position code (4 → 16 inputs). */
  positionFrequencies?: number;
}

export interface FeatureVae {
  config: FeatureVaeConfig;
  encoder: tf.LayersModel;
  decoder: tf.LayersModel;
}

export function positionCodeSize(config: FeatureVaeConfig): number {
  return 4 * (config.positionFrequencies ?? 4);
}

/** `[positions.length, 4·F]`: sin/cos of (row, col) at F octaves, for grid cell indices in row-major order. */
export function positionCode(positions: Int32Array, grid: readonly [number, number], frequencies = 4): Float32Array {
  const [h, w] = grid;
  const width = 4 * frequencies;
  const out = new Float32Array(positions.length * width);
  positions.forEach((p, i) => {
    const y = (Math.floor(p / w) + 0.5) / h;
    const x = ((p % w) + 0.5) / w;
    for (let f = 0; f < frequencies; f++) {
      const k = Math.PI * 2 ** f;
      out.set([Math.sin(k * y), Math.cos(k * y), Math.sin(k * x), Math.cos(k * x)], i * width + 4 * f);
    }
  });
  return out;
}

export function buildFeatureVae(config: FeatureVaeConfig): FeatureVae {
  const init = (k: number) => tf.initializers.glorotUniform({ seed: config.seed * 101 + k });
  const code = positionCodeSize(config);
  const x = tf.input({ shape: [config.inputDims] });
  const pos = tf.input({ shape: [code] });
  const h = tf.layers.dense({ units: config.hidden, activation: 'relu', kernelInitializer: init(1) }).apply(tf.layers.concatenate().apply([x, pos])) as tf.SymbolicTensor;
  const mean = tf.layers.dense({ units: config.latent, kernelInitializer: init(2), name: 'z_mean' }).apply(h) as tf.SymbolicTensor;
  const logVar = tf.layers.dense({ units: config.latent, kernelInitializer: init(3), name: 'z_log_var' }).apply(h) as tf.SymbolicTensor;
  const encoder = tf.model({ inputs: [x, pos], outputs: [mean, logVar], name: 'feature_vae_encoder' });
  const z = tf.input({ shape: [config.latent] });
  const zPos = tf.input({ shape: [code] });
  const g = tf.layers.dense({ units: config.hidden, activation: 'relu', kernelInitializer: init(4) }).apply(tf.layers.concatenate().apply([z, zPos])) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: config.inputDims, kernelInitializer: init(5) }).apply(g) as tf.SymbolicTensor;
  const decoder = tf.model({ inputs: [z, zPos], outputs: out, name: 'feature_vae_decoder' });
  return { config, encoder, decoder };
}

/** Per-patch negative ELBO terms for a batch (posterior sample from `noise`, or the mean when it is absent). */
function elboTerms(vae: FeatureVae, x: tf.Tensor2D, pos: tf.Tensor2D, beta: number, noise?: tf.Tensor2D): tf.Tensor1D {
  const [mean, logVar] = vae.encoder.apply([x, pos]) as tf.Tensor2D[];
  const z = noise ? tf.add(mean!, tf.mul(tf.exp(tf.mul(0.5, logVar!)), noise)) : mean!;
  const recon = vae.decoder.apply([z, pos]) as tf.Tensor2D;
  const error = tf.sum(tf.square(tf.sub(x, recon)), 1);
  const kl = tf.sum(tf.mul(-0.5, tf.sub(tf.sub(tf.add(1, logVar!), tf.square(mean!)), tf.exp(logVar!))), 1);
  return tf.add(error, tf.mul(beta, kl)) as tf.Tensor1D;
}

export interface FeatureVaeTrainOptions {
  epochs: number;
  beta: number;
  seed: number;
  batchSize?: number;
  learningRate?: number;
  /** Patches drawn per epoch (all when absent). */
  patchesPerEpoch?: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

/** Adam on `[M, inputDims]` residuals with their grid cells; shuffles and noise are seeded. */
export function trainFeatureVae(
  vae: FeatureVae,
  residuals: Float32Array,
  positions: Int32Array,
  grid: readonly [number, number],
  options: FeatureVaeTrainOptions,
): number[] {
  const { inputDims: d, latent } = vae.config;
  const m = positions.length;
  const codes = positionCode(positions, grid, vae.config.positionFrequencies);
  const code = positionCodeSize(vae.config);
  const batchSize = options.batchSize ?? 512;
  const random = mulberry32(options.seed);
  const optimizer = tf.train.adam(options.learningRate ?? 1e-3);
  const losses: number[] = [];
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const draws = Math.min(options.patchesPerEpoch ?? m, m);
    let total = 0;
    for (let start = 0; start < draws; start += batchSize) {
      const size = Math.min(batchSize, draws - start);
      const xs = new Float32Array(size * d);
      const ps = new Float32Array(size * code);
      for (let k = 0; k < size; k++) {
        const i = Math.floor(random() * m);
        xs.set(residuals.subarray(i * d, (i + 1) * d), k * d);
        ps.set(codes.subarray(i * code, (i + 1) * code), k * code);
      }
      const loss = tf.tidy(() => {
        const x = tf.tensor2d(xs, [size, d]);
        const pos = tf.tensor2d(ps, [size, code]);
        const noise = tf.randomNormal([size, latent], 0, 1, 'float32', Math.floor(random() * 2 ** 31)) as tf.Tensor2D;
        return optimizer.minimize(() => tf.mean(elboTerms(vae, x, pos, options.beta, noise)) as tf.Scalar, true) as tf.Scalar;
      });
      total += loss.dataSync()[0]! * size;
      loss.dispose();
    }
    losses.push(total / draws);
    options.onEpoch?.(epoch, total / draws);
  }
  optimizer.dispose();
  return losses;
}

/** Per-patch negative ELBO at the posterior mean (deterministic): the anomaly map's cells. */
export function featureVaeScores(vae: FeatureVae, residuals: Float32Array, positions: Int32Array, grid: readonly [number, number], beta: number): Float32Array {
  const d = vae.config.inputDims;
  const code = positionCodeSize(vae.config);
  const codes = positionCode(positions, grid, vae.config.positionFrequencies);
  const out = new Float32Array(positions.length);
  const chunk = 4096;
  for (let start = 0; start < positions.length; start += chunk) {
    const size = Math.min(chunk, positions.length - start);
    const values = tf.tidy(() =>
      elboTerms(vae, tf.tensor2d(residuals.subarray(start * d, (start + size) * d), [size, d]), tf.tensor2d(codes.subarray(start * code, (start + size) * code), [size, code]), beta),
    );
    out.set(values.dataSync(), start);
    values.dispose();
  }
  return out;
}

/** The feature VAE's dense layers (kernels `[in, out]`, row-major), as exported by `featureVaeWeights`. */
export interface FeatureVaeWeights {
  dims: number;
  hidden: number;
  latent: number;
  beta: number;
  /** Position code per cell `[P, code]` (row-major cells). */
  positionCode: Float32Array;
  codeSize: number;
  encoderKernel: Float32Array; // [d + code, hidden], input order [u, code]
  encoderBias: Float32Array;
  meanKernel: Float32Array; // [hidden, latent]
  meanBias: Float32Array;
  logVarKernel: Float32Array;
  logVarBias: Float32Array;
  decoderKernel: Float32Array; // [latent + code, hidden], input order [z, code]
  decoderBias: Float32Array;
  outputKernel: Float32Array; // [hidden, d]
  outputBias: Float32Array;
}

/** The VAE's dense layers as plain arrays plus the position code of every cell: what the ONNX head folds in. */
export function featureVaeWeights(vae: FeatureVae, grid: readonly [number, number], beta: number): FeatureVaeWeights {
  const dense = (model: tf.LayersModel) => model.layers.filter((layer) => layer.getClassName() === 'Dense');
  const values = (layer: tf.layers.Layer) => layer.getWeights().map((w) => w.dataSync() as Float32Array);
  const [first, ...heads] = dense(vae.encoder);
  const mean = heads.find((layer) => layer.name.startsWith('z_mean'));
  const logVar = heads.find((layer) => layer.name.startsWith('z_log_var'));
  const [decoderHidden, decoderOut] = dense(vae.decoder);
  if (!first || !mean || !logVar || !decoderHidden || !decoderOut) throw new Error('not a feature VAE built by buildFeatureVae');
  const [encoderKernel, encoderBias] = values(first);
  const [meanKernel, meanBias] = values(mean);
  const [logVarKernel, logVarBias] = values(logVar);
  const [decoderKernel, decoderBias] = values(decoderHidden);
  const [outputKernel, outputBias] = values(decoderOut);
  const positions = grid[0] * grid[1];
  return {
    dims: vae.config.inputDims,
    hidden: vae.config.hidden,
    latent: vae.config.latent,
    beta,
    positionCode: positionCode(Int32Array.from({ length: positions }, (_, i) => i), grid, vae.config.positionFrequencies),
    codeSize: positionCodeSize(vae.config),
    encoderKernel: encoderKernel!,
    encoderBias: encoderBias!,
    meanKernel: meanKernel!,
    meanBias: meanBias!,
    logVarKernel: logVarKernel!,
    logVarBias: logVarBias!,
    decoderKernel: decoderKernel!,
    decoderBias: decoderBias!,
    outputKernel: outputKernel!,
    outputBias: outputBias!,
  };
}

export function disposeFeatureVae(vae: FeatureVae): void {
  vae.encoder.dispose();
  vae.decoder.dispose();
}
