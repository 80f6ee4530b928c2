/**
 * Maps tfjs layer class names to functions that emit the equivalent ONNX nodes. Built-in layers register
 * themselves from ./converters; custom layers (a self-attention block, a sampling layer) add theirs with
 * {@link registerOnnxConverter} before exporting.
 *
 * Layout rule every converter follows: graph tensors keep tfjs's channels-last layout (NWC, NHWC), so ONNX
 * inputs and outputs match the tfjs model's exactly; ops that need channels-first transpose around themselves,
 * and ONNX Runtime's transpose optimiser removes the back-to-back pairs.
 *
 * @example
 *   registerOnnxConverter('Scale', ({ graph, inputs, config }) => [
 *     graph.op('Mul', [inputs[0]!, graph.addFloatInitializer('scale', [], [config.factor as number])]),
 *   ]);
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { OnnxGraphBuilder } from './onnx-graph-builder';

/** A tfjs shape with `null` for the batch (or any unknown) dimension. */
export type Shape = readonly (number | null)[];

export interface LayerWeight {
  dims: number[];
  values: Float32Array;
}

export interface ConverterContext {
  readonly graph: OnnxGraphBuilder;
  readonly layer: tfjs.layers.Layer;
  /** `layer.getConfig()`: the layer's hyper-parameters as tfjs serialises them. */
  readonly config: Record<string, unknown>;
  /** ONNX tensor names of the layer's inputs, in call order. */
  readonly inputs: readonly string[];
  readonly inputShapes: readonly Shape[];
  readonly outputShapes: readonly Shape[];
  /** The layer weight whose name ends in `/<name>` (kernel, bias, gamma, moving_mean, …); throws if absent. */
  weight(name: string): LayerWeight;
  hasWeight(name: string): boolean;
  /** Applies a tfjs activation by name (the `activation` config of Dense/Conv layers) and returns the result. */
  activation(name: string, input: string): string;
  /** A name derived from the layer's, for initializers and intermediate tensors. */
  scoped(suffix: string): string;
}

/** Emits ONNX nodes for one call of a layer and returns the ONNX names of its outputs. */
export type OnnxConverter = (context: ConverterContext) => string[];

export class UnsupportedLayerError extends Error {
  constructor(
    readonly className: string,
    detail?: string,
  ) {
    super(`no ONNX converter for tfjs layer "${className}"${detail ? `: ${detail}` : ''}; ` + 'add one with registerOnnxConverter(className, converter)');
    this.name = 'UnsupportedLayerError';
  }
}

const converters = new Map<string, OnnxConverter>();

/** Registers (or replaces) the converter for a tfjs layer class name, as returned by `layer.getClassName()`. */
export function registerOnnxConverter(className: string, converter: OnnxConverter): void {
  converters.set(className, converter);
}

export function onnxConverterFor(className: string): OnnxConverter {
  const converter = converters.get(className);
  if (!converter) throw new UnsupportedLayerError(className);
  return converter;
}

export function registeredOnnxConverters(): string[] {
  return [...converters.keys()].sort();
}

/** Reads a config entry that tfjs stores as a number or a per-dimension tuple. */
export function tuple(value: unknown, rank: number, name: string): number[] {
  const values = typeof value === 'number' ? Array.from({ length: rank }, () => value) : value;
  if (!Array.isArray(value) && typeof value !== 'number') throw new Error(`config ${name}: expected number or number[], got ${JSON.stringify(value)}`);
  if (!Array.isArray(values) || values.length !== rank || !values.every((v) => typeof v === 'number')) {
    throw new Error(`config ${name}: expected ${rank} numbers, got ${JSON.stringify(value)}`);
  }
  return values as number[];
}

/** Resolves a possibly negative axis against a rank. */
export function positiveAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

export function knownDims(shape: Shape | undefined, what: string): number[] {
  if (!shape || shape.slice(1).some((d) => d === null)) throw new Error(`${what}: needs a fully known shape except batch, got ${JSON.stringify(shape)}`);
  return shape.slice(1) as number[];
}
