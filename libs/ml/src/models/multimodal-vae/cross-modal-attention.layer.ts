/**
 * Cross-modal attention: one modality's tokens `[batch, Tq, D]` attend to the other modalities' tokens
 * `[batch, Tc, D]`, with a per-window mask `[batch, Tc]` (1 = that token's modality is present, 0 = missing), so a
 * missing modality is left out of the attention instead of being read as zeros.
 *
 * Weights (float32): queryPositionEmbedding [Tq, D] and contextPositionEmbedding [Tc, D] (learned; added to the
 * query and key inputs only, so the keys know which modality and which step they come from), query/key/value/
 * output kernels [D, D] and biases [D].
 *
 *   q = (x + Pq) Wq + bq,  k = (c + Pc) Wk + bk,  v = c Wv + bv           split into h heads of d = D / h
 *   a = softmax(q kᵀ / √d + (mask − 1)·1e9) v                              masked tokens get weight exactly 0
 *   y = (concat(heads) Wo + bo) · max(mask)                               no context at all → y = 0
 *
 * The layer returns only the attended update; the caller adds it to its tokens (residual), so a window with no
 * other modality present keeps its own tokens unchanged. `cross-modal-attention.onnx.ts` converts it.
 *
 * @example
 *   const y = new CrossModalAttention({ heads: 2 }).apply([tokens, context, contextMask]) as tf.SymbolicTensor;
 */
import { tf } from '../../runtime';

type Tensor = ReturnType<typeof tf.tensor>;
type Shape = (number | null)[];

/** Added to the attention logits of masked tokens: exp underflows to exactly 0 in float32. */
export const MASKED_LOGIT = -1e9;

export interface CrossModalAttentionArgs {
  heads: number;
  name?: string;
}

export class CrossModalAttention extends tf.layers.Layer {
  static readonly className = 'VigilCrossModalAttention';
  readonly heads: number;
  private readonly variables: Record<string, ReturnType<CrossModalAttention['addWeight']>> = {};

  constructor(args: CrossModalAttentionArgs) {
    super({ name: args.name });
    this.heads = args.heads;
  }

  override build(inputShape: Shape | Shape[]): void {
    const [queryShape, contextShape] = inputShape as Shape[];
    const queryTokens = queryShape?.[1];
    const modelDim = queryShape?.[2];
    const contextTokens = contextShape?.[1];
    if (queryTokens == null || modelDim == null || contextTokens == null || contextShape?.[2] !== modelDim) {
      throw new Error(`CrossModalAttention needs fixed [Tq, D] and [Tc, D] inputs, got ${JSON.stringify(inputShape)}`);
    }
    if (modelDim % this.heads !== 0) throw new Error(`token width ${modelDim} is not divisible by ${this.heads} heads`);
    const glorot = tf.initializers.glorotUniform({});
    const zeros = tf.initializers.zeros();
    const small = tf.initializers.randomNormal({ mean: 0, stddev: 0.02 });
    this.variables.queryPositionEmbedding = this.addWeight('queryPositionEmbedding', [queryTokens, modelDim], 'float32', small);
    this.variables.contextPositionEmbedding = this.addWeight('contextPositionEmbedding', [contextTokens, modelDim], 'float32', small);
    for (const role of ['query', 'key', 'value', 'output']) {
      this.variables[`${role}Kernel`] = this.addWeight(`${role}Kernel`, [modelDim, modelDim], 'float32', glorot);
      this.variables[`${role}Bias`] = this.addWeight(`${role}Bias`, [modelDim], 'float32', zeros);
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return (inputShape as Shape[])[0]!;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tf.tidy(() => {
      const [x, context, mask] = inputs as Tensor[];
      const [batch, queryTokens, modelDim] = x!.shape as [number, number, number];
      const contextTokens = context!.shape[1]!;
      const headDim = modelDim / this.heads;
      const w = (name: string): Tensor => this.variables[name]!.read();
      const project = (t: Tensor, tokens: number, role: string): Tensor =>
        tf.add(tf.matMul(t.reshape([batch * tokens, modelDim]), w(`${role}Kernel`)), w(`${role}Bias`)).reshape([batch, tokens, this.heads, headDim]);
      const q = project(tf.add(x!, w('queryPositionEmbedding')), queryTokens, 'query').transpose([0, 2, 1, 3]);
      const k = project(tf.add(context!, w('contextPositionEmbedding')), contextTokens, 'key').transpose([0, 2, 3, 1]);
      const v = project(context!, contextTokens, 'value').transpose([0, 2, 1, 3]);
      const maskLogits = tf.mul(tf.sub(mask!, 1), -MASKED_LOGIT).reshape([batch, 1, 1, contextTokens]);
      const logits = tf.add(tf.mul(tf.matMul(q, k), 1 / Math.sqrt(headDim)), maskLogits);
      const attended = tf.matMul(tf.softmax(logits, -1), v).transpose([0, 2, 1, 3]).reshape([batch * queryTokens, modelDim]);
      const update = tf.add(tf.matMul(attended, w('outputKernel')), w('outputBias')).reshape([batch, queryTokens, modelDim]);
      return tf.mul(update, tf.max(mask!, -1).reshape([batch, 1, 1]));
    });
  }

  override getConfig(): ReturnType<tf.layers.Layer['getConfig']> {
    return { ...super.getConfig(), heads: this.heads };
  }
}

tf.serialization.registerClass(CrossModalAttention);
