/**
 * ONNX models as plain TypeScript objects, encoded to the protobuf wire format by protobufjs from the official
 * `onnx.proto` (vendored beside this file from ONNX 1.17.0; refresh with libs/ml/scripts/fetch-onnx-proto.sh).
 * Only the parts of the IR the exporter writes are typed here.
 *
 * @example
 *   const bytes = encodeOnnxModel({ graph, opsetVersion: 17, producerName: 'vigil' });
 *   const decoded = decodeOnnxModel(bytes); // protobufjs message, for inspection in tests
 */
import { join } from 'node:path';
import * as protobuf from 'protobufjs';

/** TensorProto.DataType values we write. */
export const OnnxDataType = { FLOAT: 1, INT64: 7 } as const;

/** AttributeProto.AttributeType values we write. */
export const OnnxAttributeType = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const;

export interface OnnxTensor {
  name: string;
  dims: number[];
  dataType: (typeof OnnxDataType)[keyof typeof OnnxDataType];
  /** Little-endian element bytes, the compact encoding runtimes read fastest. */
  rawData: Uint8Array;
}

export type OnnxAttribute =
  | { name: string; type: typeof OnnxAttributeType.FLOAT; f: number }
  | { name: string; type: typeof OnnxAttributeType.INT; i: number }
  | { name: string; type: typeof OnnxAttributeType.STRING; s: Uint8Array }
  | { name: string; type: typeof OnnxAttributeType.FLOATS; floats: number[] }
  | { name: string; type: typeof OnnxAttributeType.INTS; ints: number[] };

export interface OnnxNode {
  name: string;
  opType: string;
  input: string[];
  output: string[];
  attribute: OnnxAttribute[];
  domain?: string;
}

/** A graph input or output: float tensor whose symbolic dimensions (batch) are named. */
export interface OnnxValueInfo {
  name: string;
  shape: (number | string)[];
}

export interface OnnxGraph {
  name: string;
  node: OnnxNode[];
  initializer: OnnxTensor[];
  input: OnnxValueInfo[];
  output: OnnxValueInfo[];
}

export interface OnnxModelSpec {
  graph: OnnxGraph;
  opsetVersion: number;
  producerName: string;
  producerVersion?: string;
  docString?: string;
}

/** IR version 8 is the one that goes with opsets 17-18 (onnx/docs/Versioning.md). */
const IR_VERSION_FOR_OPSET: [number, number][] = [
  [21, 10],
  [19, 9],
  [15, 8],
  [13, 7],
];

let root: protobuf.Root | undefined;
function modelType(): protobuf.Type {
  root ??= protobuf.loadSync(join(__dirname, 'onnx.proto'));
  return root.lookupType('onnx.ModelProto');
}

export function encodeOnnxModel(spec: OnnxModelSpec): Uint8Array {
  const irVersion = IR_VERSION_FOR_OPSET.find(([opset]) => spec.opsetVersion >= opset)?.[1] ?? 7;
  const type = modelType();
  const message = type.fromObject({
    irVersion,
    producerName: spec.producerName,
    producerVersion: spec.producerVersion ?? '',
    docString: spec.docString ?? '',
    opsetImport: [{ domain: '', version: spec.opsetVersion }],
    graph: {
      name: spec.graph.name,
      node: spec.graph.node,
      initializer: spec.graph.initializer,
      input: spec.graph.input.map(valueInfo),
      output: spec.graph.output.map(valueInfo),
    },
  });
  return type.encode(message).finish();
}

/** The decoded message as a plain object (int64 as numbers, bytes as base64-free Uint8Array). */
export function decodeOnnxModel(bytes: Uint8Array): Record<string, unknown> {
  const type = modelType();
  return type.toObject(type.decode(bytes), { longs: Number, defaults: false, arrays: true }) as Record<string, unknown>;
}

function valueInfo(info: OnnxValueInfo): Record<string, unknown> {
  return {
    name: info.name,
    type: {
      tensorType: {
        elemType: OnnxDataType.FLOAT,
        shape: { dim: info.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}
