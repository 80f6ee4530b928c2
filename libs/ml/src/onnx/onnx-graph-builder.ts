/**
 * Accumulates the nodes and initializers of one ONNX graph with unique names, so converters only say what
 * to compute. Attributes are written as a plain record and typed here (integer vs float is explicit, because
 * ONNX distinguishes `INT` from `FLOAT` where JavaScript does not).
 *
 * @example
 *   const g = new OnnxGraphBuilder();
 *   const w = g.addFloatInitializer('dense/kernel', [4, 2], kernel);
 *   const [y] = g.addNode('MatMul', [x, w]);
 *   const [z] = g.addNode('LeakyRelu', [y], { alpha: float(0.3) });
 */
import { type OnnxAttribute, OnnxAttributeType, OnnxDataType, type OnnxGraph, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from './onnx-proto';

/** Marks a number as an ONNX FLOAT attribute; bare numbers and number arrays are INT / INTS. */
export interface FloatAttribute {
  kind: 'float';
  value: number;
}
export const float = (value: number): FloatAttribute => ({ kind: 'float', value });

export type AttributeValue = number | number[] | string | FloatAttribute | { kind: 'floats'; value: number[] };

export class OnnxGraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxTensor[] = [];
  private readonly usedNames = new Set<string>();

  /** A name not used before in this graph, derived from `base` (ONNX names must be unique per graph). */
  uniqueName(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./:-]/g, '_') || 'tensor';
    let name = clean;
    for (let i = 1; this.usedNames.has(name); i++) name = `${clean}_${i}`;
    this.usedNames.add(name);
    return name;
  }

  /** Reserves an externally chosen name (graph inputs) so later generated names avoid it. */
  reserveName(name: string): string {
    if (this.usedNames.has(name)) throw new Error(`ONNX name "${name}" is already used in this graph`);
    this.usedNames.add(name);
    return name;
  }

  addFloatInitializer(base: string, dims: readonly number[], values: Float32Array | readonly number[]): string {
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    expectLength(base, dims, data.length);
    return this.addInitializer(base, dims, OnnxDataType.FLOAT, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  addInt64Initializer(base: string, dims: readonly number[], values: readonly number[]): string {
    expectLength(base, dims, values.length);
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    return this.addInitializer(base, dims, OnnxDataType.INT64, new Uint8Array(data.buffer));
  }

  /** Adds a node and returns its output names (fresh unique names unless given). */
  addNode(opType: string, inputs: readonly string[], attributes: Record<string, AttributeValue> = {}, outputs: number | string[] = 1): string[] {
    const outputNames = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.uniqueName(opType)) : outputs;
    this.nodes.push({
      name: this.uniqueName(`${opType}_node`),
      opType,
      input: [...inputs],
      output: outputNames,
      attribute: Object.entries(attributes).map(([name, value]) => toAttribute(name, value)),
    });
    return outputNames;
  }

  /** Convenience for the common single-output node. */
  op(opType: string, inputs: readonly string[], attributes: Record<string, AttributeValue> = {}): string {
    return this.addNode(opType, inputs, attributes)[0] as string;
  }

  build(name: string, input: OnnxValueInfo[], output: OnnxValueInfo[]): OnnxGraph {
    return { name, node: [...this.nodes], initializer: [...this.initializers], input, output };
  }

  private addInitializer(base: string, dims: readonly number[], dataType: OnnxTensor['dataType'], rawData: Uint8Array): string {
    const name = this.uniqueName(base);
    // Copy: the caller's buffer may be a view that is reused or released after this call.
    this.initializers.push({ name, dims: [...dims], dataType, rawData: rawData.slice() });
    return name;
  }
}

function expectLength(name: string, dims: readonly number[], length: number): void {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (expected !== length) throw new Error(`initializer ${name}: dims [${dims.join(', ')}] need ${expected} values, got ${length}`);
}

function toAttribute(name: string, value: AttributeValue): OnnxAttribute {
  if (typeof value === 'string') return { name, type: OnnxAttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: OnnxAttributeType.INTS, ints: value.map(checkedInt(name)) };
  if (typeof value === 'number') return { name, type: OnnxAttributeType.INT, i: checkedInt(name)(value) };
  if (value.kind === 'float') return { name, type: OnnxAttributeType.FLOAT, f: value.value };
  return { name, type: OnnxAttributeType.FLOATS, floats: value.value };
}

function checkedInt(name: string): (v: number) => number {
  return (v) => {
    if (!Number.isInteger(v)) throw new Error(`attribute ${name}: ${v} is not an integer (wrap floats with float())`);
    return v;
  };
}
