/**
 * Converters for channels-last convolutions, transposed convolutions, up-sampling and pooling. ONNX ops are
 * channels-first, so each is wrapped in NWC→NCW (NHWC→NCHW) transposes. Padding is written explicitly,
 * computed as TensorFlow does (SAME puts the odd pixel at the end), rather than via `auto_pad`, whose
 * meaning for ConvTranspose differs between runtimes.
 */
import type { OnnxGraphBuilder } from '../onnx-graph-builder';
import { type ConverterContext, knownDims, type OnnxConverter, registerOnnxConverter, tuple } from '../converter-registry';

/** Host-side transpose of a dense row-major array. */
export function transposeValues(values: Float32Array, dims: readonly number[], perm: readonly number[]): { dims: number[]; values: Float32Array } {
  const outDims = perm.map((p) => dims[p] as number);
  const inStrides = stridesOf(dims);
  const outStrides = stridesOf(outDims);
  const out = new Float32Array(values.length);
  for (let flat = 0; flat < values.length; flat++) {
    let source = 0;
    for (let axis = 0; axis < outDims.length; axis++) {
      const index = Math.floor(flat / (outStrides[axis] as number)) % (outDims[axis] as number);
      source += index * (inStrides[perm[axis] as number] as number);
    }
    out[flat] = values[source] as number;
  }
  return { dims: outDims, values: out };
}

function stridesOf(dims: readonly number[]): number[] {
  const strides = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) strides[i] = (strides[i + 1] as number) * (dims[i + 1] as number);
  return strides;
}

/** Channels-last → channels-first permutation for a given spatial rank, and its inverse. */
const toChannelsFirst = (spatial: number): number[] => [0, spatial + 1, ...Array.from({ length: spatial }, (_, i) => i + 1)];
const toChannelsLast = (spatial: number): number[] => [0, ...Array.from({ length: spatial }, (_, i) => i + 2), 1];

function channelsFirst(graph: OnnxGraphBuilder, x: string, spatial: number): string {
  return graph.op('Transpose', [x], { perm: toChannelsFirst(spatial) });
}
function channelsLast(graph: OnnxGraphBuilder, x: string, spatial: number): string {
  return graph.op('Transpose', [x], { perm: toChannelsLast(spatial) });
}

/** ONNX pads `[x1_begin, x2_begin, …, x1_end, x2_end, …]` for a forward convolution or pooling window. */
function forwardPads(padding: string, inputSizes: number[], kernel: number[], strides: number[], dilations: number[]): number[] {
  if (padding !== 'same' && padding !== 'valid') throw new Error(`padding "${padding}" is not supported (same | valid)`);
  const begins: number[] = [];
  const ends: number[] = [];
  inputSizes.forEach((size, i) => {
    const k = ((kernel[i] as number) - 1) * (dilations[i] as number) + 1;
    const s = strides[i] as number;
    const total = padding === 'same' ? Math.max((Math.ceil(size / s) - 1) * s + k - size, 0) : 0;
    const begin = Math.floor(total / 2);
    begins.push(begin);
    ends.push(total - begin);
  });
  return [...begins, ...ends];
}

function assertDataFormat(context: ConverterContext): void {
  const format = context.config.dataFormat as string | undefined;
  if (format !== undefined && format !== 'channelsLast') throw new Error(`${context.layer.name}: only channelsLast is supported, got ${format}`);
}

const convolution =
  (spatial: number): OnnxConverter =>
  (context) => {
    assertDataFormat(context);
    const { graph, config } = context;
    const input = context.inputs[0] as string;
    const kernelSize = tuple(config.kernelSize, spatial, 'kernelSize');
    const strides = tuple(config.strides, spatial, 'strides');
    const dilations = tuple(config.dilationRate ?? 1, spatial, 'dilationRate');
    const inputSizes = knownDims(context.inputShapes[0], context.layer.name).slice(0, spatial);
    const kernel = context.weight('kernel');
    // tfjs kernel [k..., in, out] → ONNX [out, in, k...]
    const onnxKernel = transposeValues(kernel.values, kernel.dims, [spatial + 1, spatial, ...Array.from({ length: spatial }, (_, i) => i)]);
    const inputs = [channelsFirst(graph, input, spatial), graph.addFloatInitializer(context.scoped('kernel'), onnxKernel.dims, onnxKernel.values)];
    if (config.useBias !== false) {
      const bias = context.weight('bias');
      inputs.push(graph.addFloatInitializer(context.scoped('bias'), bias.dims, bias.values));
    }
    const y = graph.op('Conv', inputs, {
      kernel_shape: kernelSize,
      strides,
      dilations,
      pads: forwardPads(config.padding as string, inputSizes, kernelSize, strides, dilations),
    });
    return [context.activation(config.activation as string, channelsLast(graph, y, spatial))];
  };

/**
 * tfjs Conv2DTranspose is TensorFlow's conv2d_backprop_input: the output size comes from `deconvLength`
 * (SAME: in·s; VALID: in·s + max(k − s, 0)) and the padding is the SAME/VALID padding of the forward conv
 * from that output back to the input. Pads that would be negative become output_padding at the end.
 */
const convolutionTranspose2d: OnnxConverter = (context) => {
  assertDataFormat(context);
  const { graph, config } = context;
  const kernelSize = tuple(config.kernelSize, 2, 'kernelSize');
  const strides = tuple(config.strides, 2, 'strides');
  const inputSizes = knownDims(context.inputShapes[0], context.layer.name).slice(0, 2);
  const outputSizes = knownDims(context.outputShapes[0], context.layer.name).slice(0, 2);
  const begins: number[] = [];
  const ends: number[] = [];
  const outputPadding: number[] = [];
  inputSizes.forEach((size, i) => {
    const s = strides[i] as number;
    const full = (size - 1) * s + (kernelSize[i] as number);
    const total = full - (outputSizes[i] as number);
    const begin = total > 0 ? Math.floor(total / 2) : 0;
    begins.push(begin);
    ends.push(total > 0 ? total - begin : 0);
    outputPadding.push(total < 0 ? -total : 0);
  });
  const kernel = context.weight('kernel');
  // tfjs kernel [kh, kw, out, in] → ONNX ConvTranspose [in, out, kh, kw]
  const onnxKernel = transposeValues(kernel.values, kernel.dims, [3, 2, 0, 1]);
  const inputs = [
    channelsFirst(graph, context.inputs[0] as string, 2),
    graph.addFloatInitializer(context.scoped('kernel'), onnxKernel.dims, onnxKernel.values),
  ];
  if (config.useBias !== false) {
    const bias = context.weight('bias');
    inputs.push(graph.addFloatInitializer(context.scoped('bias'), bias.dims, bias.values));
  }
  const y = graph.op('ConvTranspose', inputs, { kernel_shape: kernelSize, strides, pads: [...begins, ...ends], output_padding: outputPadding });
  return [context.activation(config.activation as string, channelsLast(graph, y, 2))];
};

/** tfjs resizes with alignCorners = halfPixelCenters = false: ONNX's "asymmetric" transform (floor for nearest). */
const upSampling2d: OnnxConverter = (context) => {
  assertDataFormat(context);
  const { graph, config } = context;
  const size = tuple(config.size ?? 2, 2, 'size');
  const nearest = (config.interpolation ?? 'nearest') === 'nearest';
  const scales = graph.addFloatInitializer(context.scoped('scales'), [4], [1, 1, ...size]);
  const y = graph.op('Resize', [channelsFirst(graph, context.inputs[0] as string, 2), '', scales], {
    mode: nearest ? 'nearest' : 'linear',
    coordinate_transformation_mode: 'asymmetric',
    ...(nearest ? { nearest_mode: 'floor' } : {}),
  });
  return [channelsLast(graph, y, 2)];
};

/** TensorFlow's average pooling divides by the number of real (unpadded) cells: count_include_pad = 0. */
const pooling =
  (opType: 'MaxPool' | 'AveragePool', spatial: number): OnnxConverter =>
  (context) => {
    assertDataFormat(context);
    const { graph, config } = context;
    // Pooling1D stores poolSize/strides as one-element arrays, Pooling2D as pairs.
    const kernel = tuple(config.poolSize, spatial, 'poolSize');
    const strides = tuple(config.strides ?? kernel, spatial, 'strides');
    const inputSizes = knownDims(context.inputShapes[0], context.layer.name).slice(0, spatial);
    const pads = forwardPads(
      config.padding as string,
      inputSizes,
      kernel,
      strides,
      kernel.map(() => 1),
    );
    const y = graph.op(opType, [channelsFirst(graph, context.inputs[0] as string, spatial)], {
      kernel_shape: kernel,
      strides,
      pads,
      ...(opType === 'AveragePool' ? { count_include_pad: 0 } : {}),
    });
    return [channelsLast(graph, y, spatial)];
  };

const globalPooling =
  (opType: 'ReduceMean' | 'ReduceMax', spatial: number): OnnxConverter =>
  (context) => [context.graph.op(opType, [context.inputs[0] as string], { axes: Array.from({ length: spatial }, (_, i) => i + 1), keepdims: 0 })];

export function registerConvolutionConverters(): void {
  registerOnnxConverter('Conv1D', convolution(1));
  registerOnnxConverter('Conv2D', convolution(2));
  registerOnnxConverter('Conv2DTranspose', convolutionTranspose2d);
  registerOnnxConverter('UpSampling2D', upSampling2d);
  registerOnnxConverter('MaxPooling1D', pooling('MaxPool', 1));
  registerOnnxConverter('MaxPooling2D', pooling('MaxPool', 2));
  registerOnnxConverter('AveragePooling1D', pooling('AveragePool', 1));
  registerOnnxConverter('AveragePooling2D', pooling('AveragePool', 2));
  registerOnnxConverter('GlobalAveragePooling1D', globalPooling('ReduceMean', 1));
  registerOnnxConverter('GlobalAveragePooling2D', globalPooling('ReduceMean', 2));
  registerOnnxConverter('GlobalMaxPooling1D', globalPooling('ReduceMax', 1));
  registerOnnxConverter('GlobalMaxPooling2D', globalPooling('ReduceMax', 2));
}
