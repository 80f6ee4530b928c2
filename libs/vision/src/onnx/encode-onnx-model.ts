/**
 * Serialises an OnnxGraphBuilder graph to a ModelProto with libs/ml's onnx.proto. A stop-gap: @vigil/ml keeps
 * `encodeOnnxModel` internal (its package exports list does not include onnx-proto); once it is exported, this
 * file goes.
 */
import * as path from 'node:path';
import * as protobuf from 'protobufjs';
import type { OnnxGraphBuilder } from '@vigil/ml';

type BuiltGraph = ReturnType<OnnxGraphBuilder['build']>;
const FLOAT = 1;

let modelType: protobuf.Type | undefined;
function onnxModelType(): protobuf.Type {
  const mlRoot = path.dirname(require.resolve('@vigil/ml/package.json'));
  modelType ??= protobuf.loadSync(path.join(mlRoot, 'src', 'onnx', 'onnx.proto')).lookupType('onnx.ModelProto');
  return modelType;
}

export function encodeOnnxGraph(graph: BuiltGraph, docString: string, opsetVersion = 17): Uint8Array {
  const type = onnxModelType();
  const valueInfo = (info: BuiltGraph['input'][number]) => ({
    name: info.name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: info.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  });
  const message = type.fromObject({
    irVersion: 8,
    producerName: 'vigil-vision',
    docString,
    opsetImport: [{ domain: '', version: opsetVersion }],
    graph: { name: graph.name, node: graph.node, initializer: graph.initializer, input: graph.input.map(valueInfo), output: graph.output.map(valueInfo) },
  });
  return type.encode(message).finish();
}
