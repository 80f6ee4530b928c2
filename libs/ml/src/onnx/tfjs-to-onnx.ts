/**
 * Exports a tfjs LayersModel (functional or Sequential, with nested models inlined) to an ONNX model, written
 * in TypeScript from the layer graph: no Python, no SavedModel round trip. Each layer call becomes the nodes
 * its registered converter emits (see converter-registry.ts); weights become initializers. Inputs and outputs
 * keep the tfjs names, shapes and channels-last layout, with a symbolic batch dimension.
 *
 * @example
 *   const { model: bytes, inputNames, outputNames } = exportToOnnx(encoder);
 *   const session = await OnnxInferenceSession.create(bytes);
 */
import type * as tfjs from '@tensorflow/tfjs';
import { applyActivation } from './converters/activations';
import { registerConvolutionConverters } from './converters/convolution-converters';
import { registerCoreConverters } from './converters/core-converters';
import { registerNormalizationConverters } from './converters/normalization-converters';
import { type ConverterContext, type LayerWeight, onnxConverterFor, type Shape, UnsupportedLayerError } from './converter-registry';
import { OnnxGraphBuilder } from './onnx-graph-builder';
import { encodeOnnxModel, type OnnxValueInfo } from './onnx-proto';

// Built-ins first, at import, so a registerOnnxConverter call made later can replace any of them.
registerCoreConverters();
registerConvolutionConverters();
registerNormalizationConverters();

/** Opset 17: LayerNormalization is native; ONNX Runtime 1.14+ and every current runtime read it. */
export const DEFAULT_OPSET = 17;

export interface OnnxExportOptions {
  opsetVersion?: number;
  /** Name of the symbolic batch dimension in the graph's input and output shapes. */
  batchDimension?: string;
  docString?: string;
  /**
   * Nodes appended after the model's own, so what a caller would compute from the outputs (an error map, a fusion
   * of experts and the decoders after it) runs in the same session run: gets the builder and the model's ONNX
   * names, returns the outputs the exported graph ends with (they replace the model's) and any inputs it adds.
   */
  tail?: (graph: OnnxGraphBuilder, model: OnnxExportTail) => { outputs: OnnxValueInfo[]; inputs?: OnnxValueInfo[] };
}

/** What a `tail` builds on. */
export interface OnnxExportTail {
  /** ONNX names of the graph's inputs (the tfjs input names) and of the model's outputs, in order. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** The symbolic batch dimension's name, for the tail's output shapes. */
  readonly batch: string;
  /** Converts another tfjs model's layers onto `inputs` (ONNX names in this graph); returns its outputs' names. */
  inline(model: tfjs.LayersModel, inputs: readonly string[]): string[];
}

export interface OnnxExport {
  /** The serialised ModelProto. */
  model: Uint8Array;
  inputNames: string[];
  outputNames: string[];
}

/** The parts of tfjs-layers' graph classes the exporter reads (public at runtime, internal in the typings). */
interface SymbolicTensorLike {
  id: number;
  shape: Shape;
}
interface GraphNodeLike {
  outboundLayer: tfjs.layers.Layer;
  inputTensors: SymbolicTensorLike[];
  outputTensors: SymbolicTensorLike[];
}
interface ContainerLike {
  name: string;
  inputs: SymbolicTensorLike[];
  outputs: SymbolicTensorLike[];
  nodesByDepth: Record<string, GraphNodeLike[]>;
}
interface LayerVariableLike {
  /** Unique per process: tfjs appends `_<n>` when a layer name repeats across models. */
  name: string;
  /** `<layer name>/<weight name>` as the layer created it. */
  originalName: string;
  shape: number[];
  read(): tfjs.Tensor;
}

export function exportToOnnx(model: tfjs.LayersModel, options: OnnxExportOptions = {}): OnnxExport {
  const container = asContainer(model);
  if (!container) throw new Error(`${model.name}: the model is not built (give its first layer an input shape)`);
  const batch = options.batchDimension ?? 'batch';
  const graph = new OnnxGraphBuilder();
  const inputNames = model.inputNames.map((name) => graph.reserveName(name));
  const results = convertContainer(graph, container, inputNames);
  // Identity nodes give the outputs the tfjs output names, whatever the last converter called them.
  const outputNames = model.outputNames.map((name, i) => graph.addNode('Identity', [results[i] as string], {}, [graph.uniqueName(name)])[0] as string);
  const valueInfo = (names: string[], tensors: SymbolicTensorLike[]): OnnxValueInfo[] =>
    names.map((name, i) => ({ name, shape: (tensors[i]?.shape ?? []).map((d) => d ?? batch) }));
  const inline = (other: tfjs.LayersModel, inputs: readonly string[]) => {
    const nested = asContainer(other);
    if (!nested) throw new Error(`${other.name}: the model is not built (give its first layer an input shape)`);
    return convertContainer(graph, nested, inputs);
  };
  const tail = options.tail?.(graph, { inputs: inputNames, outputs: outputNames, batch, inline });
  const outputs = tail?.outputs ?? valueInfo(outputNames, container.outputs);
  const bytes = encodeOnnxModel({
    graph: graph.build(model.name, [...valueInfo(inputNames, container.inputs), ...(tail?.inputs ?? [])], outputs),
    opsetVersion: options.opsetVersion ?? DEFAULT_OPSET,
    producerName: 'vigil-ml',
    producerVersion: '0.1.0',
    docString: options.docString ?? `exported from tfjs model ${model.name}`,
  });
  return { model: bytes, inputNames: [...inputNames, ...(tail?.inputs ?? []).map((i) => i.name)], outputNames: outputs.map((o) => o.name) };
}

/** Walks the container's nodes deepest-first (inputs first), as tfjs-layers' own executor does. */
function convertContainer(graph: OnnxGraphBuilder, container: ContainerLike, inputNames: readonly string[]): string[] {
  const names = new Map<number, string>();
  container.inputs.forEach((tensor, i) => names.set(tensor.id, inputNames[i] as string));
  const depths = Object.keys(container.nodesByDepth)
    .map(Number)
    .sort((a, b) => b - a);
  for (const depth of depths) {
    for (const node of container.nodesByDepth[String(depth)] ?? []) {
      // An InputLayer's node maps its tensor to itself; that tensor is already a graph (or nested) input.
      if (node.outboundLayer.getClassName() === 'InputLayer') continue;
      const inputs = node.inputTensors.map((tensor) => {
        const name = names.get(tensor.id);
        if (name === undefined) throw new Error(`${container.name}: input of ${node.outboundLayer.name} was not produced yet`);
        return name;
      });
      const nested = asContainer(node.outboundLayer);
      const outputs = nested ? convertContainer(graph, nested, inputs) : convertLayerCall(graph, node, inputs);
      if (outputs.length !== node.outputTensors.length) {
        throw new Error(`${node.outboundLayer.name}: converter returned ${outputs.length} outputs for ${node.outputTensors.length} tensors`);
      }
      node.outputTensors.forEach((tensor, i) => names.set(tensor.id, outputs[i] as string));
    }
  }
  return container.outputs.map((tensor) => {
    const name = names.get(tensor.id);
    if (name === undefined) throw new Error(`${container.name}: an output is not reachable from the inputs`);
    return name;
  });
}

function convertLayerCall(graph: OnnxGraphBuilder, node: GraphNodeLike, inputs: string[]): string[] {
  const layer = node.outboundLayer;
  const className = layer.getClassName();
  const converter = onnxConverterFor(className);
  const weights = layer.weights as unknown as LayerVariableLike[];
  const find = (name: string): LayerVariableLike | undefined => weights.find((w) => w.originalName.endsWith(`/${name}`) || w.originalName === name);
  const context: ConverterContext = {
    graph,
    layer,
    config: layer.getConfig() as Record<string, unknown>,
    inputs,
    inputShapes: node.inputTensors.map((t) => t.shape),
    outputShapes: node.outputTensors.map((t) => t.shape),
    hasWeight: (name) => find(name) !== undefined,
    weight: (name): LayerWeight => {
      const variable = find(name);
      if (!variable)
        throw new UnsupportedLayerError(className, `layer ${layer.name} has no weight "${name}" (has ${weights.map((w) => w.originalName).join(', ')})`);
      // Copy: on the cpu backend dataSync returns the variable's own storage.
      return { dims: [...variable.shape], values: Float32Array.from(variable.read().dataSync() as Float32Array) };
    },
    activation: (name, input) => applyActivation(graph, name, input, layer.name),
    scoped: (suffix) => `${layer.name}/${suffix}`,
  };
  return converter(context);
}

function asContainer(layer: unknown): ContainerLike | undefined {
  const candidate = layer as Partial<ContainerLike>;
  return candidate.nodesByDepth && candidate.inputs && candidate.outputs ? (candidate as ContainerLike) : undefined;
}
