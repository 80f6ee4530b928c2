/**
 * The fitted per-position Gaussian (and, for kind feature-vae, the feature VAE on its residuals) as one ONNX graph
 * over the backbone's features, so scoring runs in ONNX Runtime next to the backbone (and the live detector can load
 * the same file): features `[N, 376, H, W]` → principal axes (`[376, d]`; none when all 376 channels are kept as they
 * are) → u = W_b(x − μ_p), W shared by each
 * `share × share` block b of positions p → ‖u‖ → `distance` `[N, H, W]`. Positions are regrouped by block once at
 * the start, so each block's W is one batched MatMul over its cells and images. With the VAE (`vae`), the same graph
 * computes √(per-patch negative ELBO) → `vae` `[N, H, W]`: one runtime call per image size instead of a tfjs
 * round trip per call (the position code is constant per cell, so it folds into a per-cell bias of each first layer).
 * `residual` `[N, H·W, d]` (image-major) is only built for training the VAE.
 */
import { OnnxGraphBuilder } from '@vigil/ml';
import { FEATURE_CHANNELS } from '../../backbone/efficientnet-lite.constants';
import { encodeOnnxGraph } from '../../onnx/encode-onnx-model';
import { blockOf } from './covariance-pooling';
import type { FeatureVaeWeights } from '../feature-vae/feature-vae';
import { isIdentityProjection, type PositionGaussian } from './gaussian-fit';

export const HEAD_INPUT = 'features';
export const HEAD_OUTPUT = 'distance';
/** The whitened residual u = W_b(x·P − μ_p), `[N, P, d]`: what the feature VAE trains on (‖u‖ is the distance). */
export const HEAD_RESIDUAL = 'residual';
/** √(negative ELBO) of the feature VAE per cell, `[N, H, W]`. */
export const HEAD_VAE = 'vae';

export interface HeadOptions {
  residual?: boolean;
  vae?: FeatureVaeWeights;
}

export function buildGaussianHead(gaussian: PositionGaussian, height: number, width: number, options: HeadOptions = {}): Uint8Array {
  const g = new OnnxGraphBuilder();
  const input = g.reserveName(HEAD_INPUT);
  const c = gaussian.dims;
  const s = gaussian.share ?? 1;
  if (height % s !== 0 || width % s !== 0) throw new Error(`a ${height}×${width} grid does not split into ${s}×${s} blocks`);
  const [bh, bw] = [height / s, width / s];
  const blocks = bh * bw;
  const positions = height * width;
  const s2 = s * s;
  // Wᵀ per block, so a row vector (x − μ) times it gives W(x − μ).
  const transposed = new Float32Array(gaussian.whitening.length);
  for (let b = 0; b < blocks; b++) {
    const base = b * c * c;
    for (let i = 0; i < c; i++) for (let j = 0; j < c; j++) transposed[base + j * c + i] = gaussian.whitening[base + i * c + j]!;
  }
  /** Per-cell rows `[P, k]` (row-major cells) → `[blocks, s², 1, k]` (the graph's order). */
  const byBlock = (rows: Float32Array, k: number): Float32Array => {
    const out = new Float32Array(rows.length);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const { block, sub } = blockOf(y, x, width, s);
        out.set(rows.subarray((y * width + x) * k, (y * width + x + 1) * k), (block * s2 + sub) * k);
      }
    return out;
  };
  const int64 = (name: string, values: number[]) => g.addInt64Initializer(name, [values.length], values);
  const mean = g.addFloatInitializer('mean', [blocks, s2, 1, c], byBlock(gaussian.mean, c));
  const whiteningT = g.addFloatInitializer('whitening_t', [blocks, c, c], transposed);
  const lastAxis = int64('last_axis', [3]);

  const grid6 = g.op('Reshape', [input, int64('grid6', [-1, FEATURE_CHANNELS, bh, s, bw, s])]); // [N, C, bh, sy, bw, sx]
  const blockMajor = g.op('Transpose', [grid6], { perm: [2, 4, 3, 5, 0, 1] }); // [bh, bw, sy, sx, N, C]
  const cells = g.op('Reshape', [blockMajor, int64('cells', [blocks, s2, -1, FEATURE_CHANNELS])]); // [B, s², N, C]
  // A Gaussian over all channels as they are needs no projection: 376² multiply-adds per cell saved, half the head's work.
  const reduced = isIdentityProjection(gaussian) ? cells : g.op('MatMul', [cells, g.addFloatInitializer('projection', [FEATURE_CHANNELS, c], gaussian.projection)]); // [B, s², N, d]
  const centred = g.op('Sub', [reduced, mean]);
  const flat = g.op('Reshape', [centred, int64('flat', [blocks, -1, c])]); // [B, s²·N, d]
  const whitenedFlat = g.op('MatMul', [flat, whiteningT]);
  const whitened = g.op('Reshape', [whitenedFlat, int64('per_cell', [blocks, s2, -1, c])]); // [B, s², N, d]
  const mapShape5 = int64('map5', [bh, bw, s, s, -1]);
  const mapShape = int64('map_shape', [-1, height, width]);
  /** `[B, s², N]` → `[N, H, W]` into output `name`. */
  const toMap = (values: string, name: string) => {
    const five = g.op('Reshape', [values, mapShape5]);
    const imageMajor = g.op('Transpose', [five], { perm: [4, 0, 2, 1, 3] }); // [N, bh, sy, bw, sx]
    g.addNode('Reshape', [imageMajor, mapShape], {}, [g.reserveName(name)]);
  };
  const d2 = g.op('ReduceSum', [g.op('Mul', [whitened, whitened]), lastAxis], { keepdims: 0 });
  toMap(g.op('Sqrt', [d2]), HEAD_OUTPUT);
  const outputs = [{ name: HEAD_OUTPUT, shape: ['batch', height, width] as (string | number)[] }];

  if (options.residual) {
    const six = g.op('Reshape', [whitened, int64('residual6', [bh, bw, s, s, -1, c])]);
    const imageMajor = g.op('Transpose', [six], { perm: [4, 0, 2, 1, 3, 5] }); // [N, bh, sy, bw, sx, d]
    g.addNode('Reshape', [imageMajor, int64('residual_shape', [-1, positions, c])], {}, [g.reserveName(HEAD_RESIDUAL)]);
    outputs.push({ name: HEAD_RESIDUAL, shape: ['batch', positions, c] });
  }

  const vae = options.vae;
  if (vae) {
    if (vae.dims !== c) throw new Error(`feature VAE over ${vae.dims} dims, Gaussian over ${c}`);
    const { hidden, latent, codeSize } = vae;
    // The code's share of each first layer, per cell: code_p · K_code + bias.
    const cellBias = (kernel: Float32Array, inputs: number, bias: Float32Array) => {
      const out = new Float32Array(positions * hidden);
      for (let p = 0; p < positions; p++)
        for (let h = 0; h < hidden; h++) {
          let sum = bias[h]!;
          for (let k = 0; k < codeSize; k++) sum += vae.positionCode[p * codeSize + k]! * kernel[(inputs + k) * hidden + h]!;
          out[p * hidden + h] = sum;
        }
      return byBlock(out, hidden);
    };
    const encoderIn = g.addFloatInitializer('vae_enc_kernel', [c, hidden], vae.encoderKernel.subarray(0, c * hidden));
    const encoderBias = g.addFloatInitializer('vae_enc_cell_bias', [blocks, s2, 1, hidden], cellBias(vae.encoderKernel, c, vae.encoderBias));
    const decoderIn = g.addFloatInitializer('vae_dec_kernel', [latent, hidden], vae.decoderKernel.subarray(0, latent * hidden));
    const decoderBias = g.addFloatInitializer('vae_dec_cell_bias', [blocks, s2, 1, hidden], cellBias(vae.decoderKernel, latent, vae.decoderBias));
    const dense = (x: string, kernel: string, bias: string) => g.op('Add', [g.op('MatMul', [x, kernel]), bias]);
    const h = g.op('Relu', [dense(whitened, encoderIn, encoderBias)]);
    const mu = dense(h, g.addFloatInitializer('vae_mean_kernel', [hidden, latent], vae.meanKernel), g.addFloatInitializer('vae_mean_bias', [latent], vae.meanBias));
    const logVar = dense(h, g.addFloatInitializer('vae_logvar_kernel', [hidden, latent], vae.logVarKernel), g.addFloatInitializer('vae_logvar_bias', [latent], vae.logVarBias));
    const hg = g.op('Relu', [dense(mu, decoderIn, decoderBias)]);
    const recon = dense(hg, g.addFloatInitializer('vae_out_kernel', [hidden, c], vae.outputKernel), g.addFloatInitializer('vae_out_bias', [c], vae.outputBias));
    const diff = g.op('Sub', [whitened, recon]);
    const error = g.op('ReduceSum', [g.op('Mul', [diff, diff]), lastAxis], { keepdims: 0 });
    // KL = −½ Σ (1 + log σ² − μ² − σ²) = ½ Σ (μ² + σ² − log σ² − 1)
    const klTerms = g.op('Sub', [g.op('Sub', [g.op('Add', [g.op('Mul', [mu, mu]), g.op('Exp', [logVar])]), logVar]), g.addFloatInitializer('one', [1], [1])]);
    const kl = g.op('ReduceSum', [klTerms, lastAxis], { keepdims: 0 });
    const nelbo = g.op('Add', [error, g.op('Mul', [kl, g.addFloatInitializer('half_beta', [1], [0.5 * vae.beta])])]);
    toMap(g.op('Sqrt', [g.op('Relu', [nelbo])]), HEAD_VAE);
    outputs.push({ name: HEAD_VAE, shape: ['batch', height, width] });
  }

  const graph = g.build('position_gaussian', [{ name: input, shape: ['batch', FEATURE_CHANNELS, height, width] }], outputs);
  return encodeOnnxGraph(graph, `per-position Gaussian, ${c} principal axes, ${height}x${width} grid, covariance shared over ${s}x${s}${vae ? ', feature VAE' : ''}`);
}

