/**
 * Converters for BatchNormalization (inference: moving statistics) and LayerNormalization.
 *
 * BatchNormalization folds into one Mul and one Add along the channel axis, which works for any axis without
 * transposes: scale = γ / √(σ² + ε), shift = β − μ · scale. LayerNormalization maps to the opset-17 op, which
 * normalises over the trailing axes from `axis` on, as tfjs does when its axes are the trailing ones.
 */
import { float } from '../onnx-graph-builder';
import { type OnnxConverter, positiveAxis, registerOnnxConverter } from '../converter-registry';

const batchNormalization: OnnxConverter = (context) => {
  const { graph, config } = context;
  const rank = context.inputShapes[0]?.length ?? 0;
  const axis = positiveAxis((config.axis as number | undefined) ?? -1, rank);
  const epsilon = (config.epsilon as number | undefined) ?? 1e-3;
  const mean = context.weight('moving_mean').values;
  const variance = context.weight('moving_variance').values;
  const gamma = config.scale !== false ? context.weight('gamma').values : undefined;
  const beta = config.center !== false ? context.weight('beta').values : undefined;
  const channels = mean.length;
  const scale = new Float32Array(channels);
  const shift = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    scale[c] = (gamma?.[c] ?? 1) / Math.sqrt((variance[c] as number) + epsilon);
    shift[c] = (beta?.[c] ?? 0) - (mean[c] as number) * (scale[c] as number);
  }
  // [C, 1, …, 1] broadcasts against the axes after the channel axis.
  const dims = [channels, ...Array.from({ length: rank - axis - 1 }, () => 1)];
  const scaled = graph.op('Mul', [context.inputs[0] as string, graph.addFloatInitializer(context.scoped('scale'), dims, scale)]);
  return [graph.op('Add', [scaled, graph.addFloatInitializer(context.scoped('shift'), dims, shift)])];
};

const layerNormalization: OnnxConverter = (context) => {
  const { graph, config } = context;
  const shape = context.inputShapes[0] ?? [];
  const rank = shape.length;
  const axes = (Array.isArray(config.axis) ? (config.axis as number[]) : [(config.axis as number | undefined) ?? -1])
    .map((a) => positiveAxis(a, rank))
    .sort((a, b) => a - b);
  const firstAxis = axes[0] as number;
  if (axes.some((a, i) => a !== firstAxis + i) || axes[axes.length - 1] !== rank - 1) {
    throw new Error(`${context.layer.name}: LayerNormalization over axes [${axes.join(', ')}] is not a trailing block of a rank-${rank} input`);
  }
  const normalizedDims = axes.map((a) => shape[a] as number);
  const size = normalizedDims.reduce((p, d) => p * d, 1);
  const gamma = config.scale !== false ? context.weight('gamma').values : new Float32Array(size).fill(1);
  const beta = config.center !== false ? context.weight('beta').values : new Float32Array(size);
  const y = graph.op(
    'LayerNormalization',
    [
      context.inputs[0] as string,
      graph.addFloatInitializer(context.scoped('gamma'), normalizedDims, gamma),
      graph.addFloatInitializer(context.scoped('beta'), normalizedDims, beta),
    ],
    { axis: firstAxis, epsilon: float((config.epsilon as number | undefined) ?? 1e-3) },
  );
  return [y];
};

export function registerNormalizationConverters(): void {
  registerOnnxConverter('BatchNormalization', batchNormalization);
  registerOnnxConverter('LayerNormalization', layerNormalization);
}
