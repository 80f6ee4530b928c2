/**
 * Converters for tfjs core and merge layers: Dense, Activation and the activation layers, the inference-time
 * identities (Dropout and noise layers), shape layers (Flatten, Reshape, Permute, RepeatVector) and merges
 * (Add, Multiply, Average, Maximum, Minimum, Concatenate).
 */
import { float } from '../onnx-graph-builder';
import { type ConverterContext, type OnnxConverter, positiveAxis, registerOnnxConverter } from '../converter-registry';

const first = (context: ConverterContext): string => {
  const input = context.inputs[0];
  if (input === undefined) throw new Error(`${context.layer.name}: layer called without inputs`);
  return input;
};

/** Dense acts on the last axis of inputs of any rank: MatMul broadcasts the same way (Gemm is 2-D only). */
const dense: OnnxConverter = (context) => {
  const { graph } = context;
  const kernel = context.weight('kernel');
  let y = graph.op('MatMul', [first(context), graph.addFloatInitializer(context.scoped('kernel'), kernel.dims, kernel.values)]);
  if (context.config.useBias !== false) {
    const bias = context.weight('bias');
    y = graph.op('Add', [y, graph.addFloatInitializer(context.scoped('bias'), bias.dims, bias.values)]);
  }
  return [context.activation(context.config.activation as string, y)];
};

const activationLayer: OnnxConverter = (context) => [context.activation(context.config.activation as string, first(context))];

const identity: OnnxConverter = (context) => [context.graph.op('Identity', [first(context)])];

const reluLayer: OnnxConverter = (context) => {
  const { graph, config } = context;
  const maxValue = config.maxValue as number | null | undefined;
  if (maxValue == null) return [graph.op('Relu', [first(context)])];
  const lo = graph.addFloatInitializer(context.scoped('min'), [], [0]);
  const hi = graph.addFloatInitializer(context.scoped('max'), [], [maxValue]);
  return [graph.op('Clip', [first(context), lo, hi])];
};

const leakyRelu: OnnxConverter = (context) => [
  context.graph.op('LeakyRelu', [first(context)], { alpha: float((context.config.alpha as number | undefined) ?? 0.3) }),
];

const eluLayer: OnnxConverter = (context) => [context.graph.op('Elu', [first(context)], { alpha: float((context.config.alpha as number | undefined) ?? 1) })];

const softmaxLayer: OnnxConverter = (context) => {
  const axis = (context.config.axis as number | undefined) ?? -1;
  return [context.graph.op('Softmax', [first(context)], { axis })];
};

/** tfjs flattens channels-last tensors in their stored order, which is what ONNX Flatten(axis=1) does too. */
const flatten: OnnxConverter = (context) => [context.graph.op('Flatten', [first(context)], { axis: 1 })];

/**
 * 0 in an ONNX Reshape target copies the input dimension: the batch size passes through. tfjs serialises the
 * inferred dimension (-1) as null.
 */
const reshape: OnnxConverter = (context) => {
  const target = (context.config.targetShape as (number | null)[]).map((d) => d ?? -1);
  const shape = context.graph.addInt64Initializer(context.scoped('shape'), [target.length + 1], [0, ...target]);
  return [context.graph.op('Reshape', [first(context), shape])];
};

/** tfjs Permute dims are 1-based and exclude the batch axis. */
const permute: OnnxConverter = (context) => {
  const dims = context.config.dims as number[];
  return [context.graph.op('Transpose', [first(context)], { perm: [0, ...dims] })];
};

const repeatVector: OnnxConverter = (context) => {
  const { graph } = context;
  const n = context.config.n as number;
  const expanded = graph.op('Unsqueeze', [first(context), graph.addInt64Initializer(context.scoped('axes'), [1], [1])]);
  return [graph.op('Tile', [expanded, graph.addInt64Initializer(context.scoped('repeats'), [3], [1, n, 1])])];
};

/** n-ary ONNX ops (Sum, Mean, Max, Min) take all inputs at once; Mul is binary and is chained. */
const variadic =
  (opType: string): OnnxConverter =>
  (context) => [context.graph.op(opType, context.inputs)];
const chained =
  (opType: string): OnnxConverter =>
  (context) => {
    const [head, ...rest] = context.inputs;
    if (head === undefined) throw new Error(`${context.layer.name}: merge layer without inputs`);
    return [rest.reduce((acc, input) => context.graph.op(opType, [acc, input]), head)];
  };

const concatenate: OnnxConverter = (context) => {
  const rank = context.outputShapes[0]?.length ?? 0;
  const axis = positiveAxis((context.config.axis as number | undefined) ?? -1, rank);
  return [context.graph.op('Concat', context.inputs, { axis })];
};

export function registerCoreConverters(): void {
  registerOnnxConverter('Dense', dense);
  registerOnnxConverter('Activation', activationLayer);
  registerOnnxConverter('ReLU', reluLayer);
  registerOnnxConverter('LeakyReLU', leakyRelu);
  registerOnnxConverter('ELU', eluLayer);
  registerOnnxConverter('Softmax', softmaxLayer);
  for (const inferenceIdentity of ['Dropout', 'SpatialDropout1D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']) {
    registerOnnxConverter(inferenceIdentity, identity);
  }
  registerOnnxConverter('Flatten', flatten);
  registerOnnxConverter('Reshape', reshape);
  registerOnnxConverter('Permute', permute);
  registerOnnxConverter('RepeatVector', repeatVector);
  registerOnnxConverter('Add', variadic('Sum'));
  registerOnnxConverter('Average', variadic('Mean'));
  registerOnnxConverter('Maximum', variadic('Max'));
  registerOnnxConverter('Minimum', variadic('Min'));
  registerOnnxConverter('Multiply', chained('Mul'));
  registerOnnxConverter('Concatenate', concatenate);
}
