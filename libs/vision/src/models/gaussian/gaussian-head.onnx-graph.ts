/**
 * The fitted per-position Gaussian as an ONNX graph over the backbone's features, so scoring runs in ONNX Runtime
 * next to the backbone (and the live detector can load the same file): features `[N, 344, H, W]` → principal
 * axes (`[344, d]`) → per position u = W(x − μ) (`residual` `[H·W, N, d]`) → ‖u‖ → `distance` `[N, H, W]`.
 */
import { OnnxGraphBuilder } from '@vigil/ml';
import { FEATURE_CHANNELS } from '../../backbone/efficientnet-lite0.constants';
import { encodeOnnxGraph } from '../../onnx/encode-onnx-model';
import type { PositionGaussian } from './gaussian-fit';

export const HEAD_INPUT = 'features';
export const HEAD_OUTPUT = 'distance';
/** The whitened residual u = W_p(x·P − μ_p), `[P, N, d]`: what the feature VAE models (‖u‖ is the distance). */
export const HEAD_RESIDUAL = 'residual';

export function buildGaussianHead(gaussian: PositionGaussian, height: number, width: number): Uint8Array {
  const g = new OnnxGraphBuilder();
  const input = g.reserveName(HEAD_INPUT);
  const c = gaussian.dims;
  const positions = height * width;
  // Wᵀ per position, so a row vector (x − μ) times it gives W(x − μ).
  const transposed = new Float32Array(gaussian.whitening.length);
  for (let p = 0; p < positions; p++) {
    const base = p * c * c;
    for (let i = 0; i < c; i++) for (let j = 0; j < c; j++) transposed[base + j * c + i] = gaussian.whitening[base + i * c + j]!;
  }
  const projection = g.addFloatInitializer('projection', [FEATURE_CHANNELS, c], gaussian.projection);
  const mean = g.addFloatInitializer('mean', [positions, 1, c], gaussian.mean);
  const whiteningT = g.addFloatInitializer('whitening_t', [positions, c, c], transposed);
  const flatShape = g.addInt64Initializer('flat_shape', [3], [0, FEATURE_CHANNELS, positions]);
  const mapShape = g.addInt64Initializer('map_shape', [3], [0, height, width]);
  const sumAxis = g.addInt64Initializer('sum_axis', [1], [2]);

  const flat = g.op('Reshape', [input, flatShape]); // [N, 344, P]
  const byPosition = g.op('Transpose', [flat], { perm: [2, 0, 1] }); // [P, N, 344]
  const reduced = g.op('MatMul', [byPosition, projection]); // [P, N, d]
  const centred = g.op('Sub', [reduced, mean]);
  const [whitened] = g.addNode('MatMul', [centred, whiteningT], {}, [g.reserveName(HEAD_RESIDUAL)]);
  const squared = g.op('Mul', [whitened!, whitened!]);
  const d2 = g.op('ReduceSum', [squared, sumAxis], { keepdims: 0 }); // [P, N]
  const distance = g.op('Sqrt', [d2]);
  const byImage = g.op('Transpose', [distance], { perm: [1, 0] });
  g.addNode('Reshape', [byImage, mapShape], {}, [g.reserveName(HEAD_OUTPUT)]);

  const graph = g.build(
    'position_gaussian',
    [{ name: input, shape: ['batch', FEATURE_CHANNELS, height, width] }],
    [
      { name: HEAD_OUTPUT, shape: ['batch', height, width] },
      { name: HEAD_RESIDUAL, shape: [positions, 'batch', c] },
    ],
  );
  return encodeOnnxGraph(graph, `per-position Gaussian, ${c} principal axes, ${height}x${width} grid`);
}
