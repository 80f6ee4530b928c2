/**
 * Multi-head self-attention over a sequence `[batch, steps, modelDim]` — the only custom layer of the VAEs.
 *
 * TensorFlow.js has no attention layer, so this one is written out with plain weight variables, which keeps it
 * convertible: `multi-head-self-attention.onnx.ts` maps it to MatMul/Add/Reshape/Transpose/Softmax nodes from the
 * weights below (parity with ONNX Runtime is tested).
 *
 * Weights (all float32):
 *   positionEmbedding [steps, modelDim]  learned, added to the input of the query and key projections only
 *                                          (attention needs word order; values stay position-free)
 *   queryKernel, keyKernel, valueKernel, outputKernel [modelDim, modelDim]; matching *Bias [modelDim]
 *   (Q and K share one matmul at run time — fewer kernel launches, same maths.)
 *
 * Computation, with h heads of size d = modelDim / h:
 *   q = (x + P) Wq + bq,  k = (x + P) Wk + bk,  v = x Wv + bv        split into h heads
 *   attention = softmax(q kᵀ / √d) v                                   per head
 *   output = concat(heads) Wo + bo
 *
 * @example
 *   const attention = new MultiHeadSelfAttention({ heads: 4, name: 'encoder/attention_1' });
 *   const y = attention.apply(x) as tf.SymbolicTensor;               // same shape as x
 */
import { tf } from '../../runtime';

type Tensor = ReturnType<typeof tf.tensor>;
type Shape = (number | null)[];

export interface MultiHeadSelfAttentionArgs {
  heads: number;
  name?: string;
}

export class MultiHeadSelfAttention extends tf.layers.Layer {
  static readonly className = 'VigilMultiHeadSelfAttention';
  readonly heads: number;
  private projections: Record<string, ReturnType<MultiHeadSelfAttention['addWeight']>> = {};

  constructor(args: MultiHeadSelfAttentionArgs) {
    super({ name: args.name });
    this.heads = args.heads;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const steps = shape[1];
    const modelDim = shape[2];
    if (steps == null || modelDim == null) throw new Error('MultiHeadSelfAttention needs a fixed [steps, modelDim] input shape');
    if (modelDim % this.heads !== 0) throw new Error(`modelDim ${modelDim} is not divisible by ${this.heads} heads`);
    const glorot = tf.initializers.glorotUniform({});
    const zeros = tf.initializers.zeros();
    const small = tf.initializers.randomNormal({ mean: 0, stddev: 0.02 });
    this.projections.positionEmbedding = this.addWeight('positionEmbedding', [steps, modelDim], 'float32', small);
    for (const role of ['query', 'key', 'value', 'output']) {
      this.projections[`${role}Kernel`] = this.addWeight(`${role}Kernel`, [modelDim, modelDim], 'float32', glorot);
      this.projections[`${role}Bias`] = this.addWeight(`${role}Bias`, [modelDim], 'float32', zeros);
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const [batch, steps, modelDim] = x.shape as [number, number, number];
      const headDim = modelDim / this.heads;
      const weight = (name: string): Tensor => this.projections[name]!.read();
      const flat = (t: Tensor): Tensor => t.reshape([batch * steps, modelDim]);
      const splitHeads = (t: Tensor): Tensor => t.reshape([batch, steps, this.heads, headDim]).transpose([0, 2, 1, 3]);
      // x + P feeds queries and keys, x alone the values.
      const positioned = flat(tf.add(x, weight('positionEmbedding')));
      const queryKey = tf.add(
        tf.matMul(positioned, tf.concat([weight('queryKernel'), weight('keyKernel')], 1)),
        tf.concat([weight('queryBias'), weight('keyBias')]),
      );
      const [qFlat, kFlat] = tf.split(queryKey, 2, 1);
      const q = splitHeads(qFlat!);
      const k = splitHeads(kFlat!);
      const v = splitHeads(tf.add(tf.matMul(flat(x), weight('valueKernel')), weight('valueBias')));
      const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(headDim));
      const attended = tf.matMul(tf.softmax(scores, -1), v);
      const merged = attended.transpose([0, 2, 1, 3]).reshape([batch * steps, modelDim]);
      return tf.add(tf.matMul(merged, weight('outputKernel')), weight('outputBias')).reshape([batch, steps, modelDim]);
    });
  }

  override getConfig(): ReturnType<tf.layers.Layer['getConfig']> {
    return { ...super.getConfig(), heads: this.heads };
  }
}

tf.serialization.registerClass(MultiHeadSelfAttention);
