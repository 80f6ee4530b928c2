/**
 * ONNX converter for `MultiHeadSelfAttention` (class name `VigilMultiHeadSelfAttention`), registered on import
 * so `exportToOnnx(transformerEncoder(config))` works. Same maths as the layer's `call`, in opset-17 nodes:
 *
 *   xp = x + P;  q = xp·Wq + bq;  k = xp·Wk + bk;  v = x·Wv + bv             MatMul/Add on [N, T, D]
 *   heads: Reshape [N, T, H, d] → Transpose to [N, H, T, d] (keys to [N, H, d, T])
 *   y = Softmax(q·kᵀ / √d) · v → Transpose [N, T, H, d] → Reshape [N, T, D] → ·Wo + bo
 *
 * @example
 *   import '@vigil/ml';                                   // registers this converter
 *   const { model } = exportToOnnx(vae.encoder);
 */
import { type ConverterContext, registerOnnxConverter } from '../../onnx';
import { MultiHeadSelfAttention } from './multi-head-self-attention.layer';

function convertAttention(context: ConverterContext): string[] {
  const { graph } = context;
  const [, steps, modelDim] = context.inputShapes[0]! as [number | null, number, number];
  const heads = context.config.heads as number;
  const headDim = modelDim / heads;
  const initializer = (name: string) => {
    const w = context.weight(name);
    return graph.addFloatInitializer(context.scoped(name), w.dims, w.values);
  };
  const project = (input: string, role: string) => graph.op('Add', [graph.op('MatMul', [input, initializer(`${role}Kernel`)]), initializer(`${role}Bias`)]);
  const headsShape = graph.addInt64Initializer(context.scoped('heads_shape'), [4], [0, steps, heads, headDim]);
  const mergedShape = graph.addInt64Initializer(context.scoped('merged_shape'), [3], [0, steps, modelDim]);
  const split = (t: string, perm: number[]) => graph.op('Transpose', [graph.op('Reshape', [t, headsShape])], { perm });

  const x = context.inputs[0]!;
  const positioned = graph.op('Add', [x, initializer('positionEmbedding')]);
  const q = split(project(positioned, 'query'), [0, 2, 1, 3]);
  const kT = split(project(positioned, 'key'), [0, 2, 3, 1]);
  const v = split(project(x, 'value'), [0, 2, 1, 3]);
  const scale = graph.addFloatInitializer(context.scoped('scale'), [], [1 / Math.sqrt(headDim)]);
  const weights = graph.op('Softmax', [graph.op('Mul', [graph.op('MatMul', [q, kT]), scale])], { axis: -1 });
  const attended = graph.op('Transpose', [graph.op('MatMul', [weights, v])], { perm: [0, 2, 1, 3] });
  return [project(graph.op('Reshape', [attended, mergedShape]), 'output')];
}

registerOnnxConverter(MultiHeadSelfAttention.className, convertAttention);
