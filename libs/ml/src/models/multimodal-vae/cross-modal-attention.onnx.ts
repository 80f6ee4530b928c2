/**
 * ONNX converter for `CrossModalAttention` (class name `VigilCrossModalAttention`), registered on import. Same
 * maths as the layer's `call` in opset-17 nodes: MatMul/Add projections, Reshape/Transpose into heads, the mask
 * turned into additive logits, Softmax, and the "no context" gate from ReduceMax over the mask.
 *
 * @example
 *   import './cross-modal-attention.onnx';
 *   const { model } = exportToOnnx(expertHead);
 */
import { type ConverterContext, registerOnnxConverter } from '../../onnx';
import { CrossModalAttention, MASKED_LOGIT } from './cross-modal-attention.layer';

function convertCrossModalAttention(context: ConverterContext): string[] {
  const { graph } = context;
  const [, queryTokens, modelDim] = context.inputShapes[0]! as [number | null, number, number];
  const contextTokens = context.inputShapes[1]![1] as number;
  const heads = context.config.heads as number;
  const headDim = modelDim / heads;
  const initializer = (name: string) => {
    const w = context.weight(name);
    return graph.addFloatInitializer(context.scoped(name), w.dims, w.values);
  };
  const scalar = (name: string, value: number) => graph.addFloatInitializer(context.scoped(name), [], [value]);
  const shape = (name: string, dims: number[]) => graph.addInt64Initializer(context.scoped(name), [dims.length], dims);
  const project = (input: string, role: string) => graph.op('Add', [graph.op('MatMul', [input, initializer(`${role}Kernel`)]), initializer(`${role}Bias`)]);
  const heads4 = (t: string, tokens: number, perm: number[]) =>
    graph.op('Transpose', [graph.op('Reshape', [t, shape(`heads_${tokens}_${perm.join('')}`, [0, tokens, heads, headDim])])], { perm });

  const [x, ctx, mask] = context.inputs as [string, string, string];
  const q = heads4(project(graph.op('Add', [x, initializer('queryPositionEmbedding')]), 'query'), queryTokens, [0, 2, 1, 3]);
  const kT = heads4(project(graph.op('Add', [ctx, initializer('contextPositionEmbedding')]), 'key'), contextTokens, [0, 2, 3, 1]);
  const v = heads4(project(ctx, 'value'), contextTokens, [0, 2, 1, 3]);
  const maskLogits = graph.op('Reshape', [graph.op('Mul', [graph.op('Sub', [mask, scalar('one', 1)]), scalar('masked_logit', -MASKED_LOGIT)]), shape('mask_shape', [0, 1, 1, contextTokens])]);
  const logits = graph.op('Add', [graph.op('Mul', [graph.op('MatMul', [q, kT]), scalar('scale', 1 / Math.sqrt(headDim))]), maskLogits]);
  const attended = graph.op('Transpose', [graph.op('MatMul', [graph.op('Softmax', [logits], { axis: -1 }), v])], { perm: [0, 2, 1, 3] });
  const update = project(graph.op('Reshape', [attended, shape('merged_shape', [0, queryTokens, modelDim])]), 'output');
  const anyContext = graph.op('Reshape', [graph.op('ReduceMax', [mask], { axes: [-1], keepdims: 1 }), shape('gate_shape', [0, 1, 1])]);
  return [graph.op('Mul', [update, anyContext])];
}

registerOnnxConverter(CrossModalAttention.className, convertCrossModalAttention);
