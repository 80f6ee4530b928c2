/**
 * The multimodal VAE's inference pass (`rawErrors`) in ONNX Runtime: its parts (tokenizers, expert heads with
 * the cross-modal attention, decoders) exported as two graphs, one session each — encoders up to the experts,
 * decoders from the fused code — and the steps between them — context masks, the Product of Experts with the
 * prior expert, the squared errors — in plain arrays, exactly as `MultimodalVae.errors` computes them for
 * `fusion: 'poe'`. Serving it here instead of in
 * tfjs-node is what `npm run bench:ml-runtime` asks for: small conv/dense graphs at micro-batch sizes run
 * 25–50× faster in ONNX Runtime, where tfjs-node pays a kernel dispatch per op. MoE models stay on tfjs.
 *
 * @example
 *   const runtime = await OnnxMultimodalRuntime.create(model.vae);
 *   const raw = await runtime.rawErrors(model.scalers, windows, true);   // as rawErrors(model.vae, …)
 */
import { OnnxInferenceSession, type OnnxSessionOptions, type TensorData } from '../../onnx/inference-runtime';
import { exportToOnnx } from '../../onnx/tfjs-to-onnx';
import { tf } from '../../runtime';
import './cross-modal-attention.onnx';
import { attends, contextModalities } from './modality-networks';
import type { MultimodalVae } from './multimodal-vae';
import { inputShape, inputSize, tokenCount } from './multimodal-vae-config';
import { MultimodalInputError, type MultimodalScalers, type RawAssessment } from './multimodal-window-model';
import type { ModalityName, MultimodalInputs } from './types';

/** As in gaussian-experts.ts: keeps one expert's precision finite. */
const LOG_VAR_LIMIT = 10;

export class UnsupportedFusionError extends Error {
  override readonly name = 'UnsupportedFusionError';
}

export class OnnxMultimodalRuntime {
  private constructor(
    private readonly vae: MultimodalVae,
    /** Every tokenizer and expert head as one graph: windows (+ context masks) → each modality's mean, logVar. */
    private readonly encoder: OnnxInferenceSession,
    /** Every decoder as one graph: a latent code → each modality's reconstruction. */
    private readonly decoder: OnnxInferenceSession,
  ) {}

  /**
   * Wires the exported parts into two graphs — encoders (tokenizers, cross-modal contexts by concatenation,
   * expert heads) and decoders — so a call is two session runs, two hand-offs to ONNX Runtime's thread and
   * back, instead of nine in three rounds. One intra-op thread by default: the graphs are tiny and a thread
   * pool's spinning would take CPU from the event loop that feeds them.
   */
  static async create(vae: MultimodalVae, options: OnnxSessionOptions = { intraOpNumThreads: 1 }): Promise<OnnxMultimodalRuntime> {
    if (vae.config.fusion !== 'poe') throw new UnsupportedFusionError(`ONNX serving implements the Product of Experts only; this model fuses by ${vae.config.fusion}`);
    const { config } = vae;
    const ms = config.modalities;
    type Symbolic = ReturnType<typeof tf.input>;
    const windows = ms.map((m) => tf.input({ shape: inputShape(config, m), name: `${m}_window` }));
    const tokens = Object.fromEntries(ms.map((m, i) => [m, vae.tokenizers[m].apply(windows[i]!) as Symbolic])) as Record<ModalityName, Symbolic>;
    const masks: Symbolic[] = [];
    const outputs: Symbolic[] = [];
    for (const m of ms) {
      let head: Symbolic[];
      if (attends(config, m)) {
        const others = contextModalities(config, m);
        const context = others.length === 1 ? tokens[others[0]!] : (tf.layers.concatenate({ axis: 1, name: `${m}_context_concat` }).apply(others.map((o) => tokens[o])) as Symbolic);
        const mask = tf.input({ shape: [others.reduce((n, o) => n + tokenCount(config, o), 0)], name: `${m}_context_mask` });
        masks.push(mask);
        head = vae.heads[m].apply([tokens[m], context, mask]) as Symbolic[];
      } else {
        head = vae.heads[m].apply(tokens[m]) as Symbolic[];
      }
      outputs.push(head[0]!, head[1]!);
    }
    const encoderGraph = tf.model({ inputs: [...windows, ...masks], outputs, name: 'multimodal_encoders' });
    const z = tf.input({ shape: [config.latentDim], name: 'latent' });
    const decoderGraph = tf.model({ inputs: z, outputs: ms.map((m) => vae.decoders[m].apply(z) as Symbolic), name: 'multimodal_decoders' });
    const encoder = await OnnxInferenceSession.create(exportToOnnx(encoderGraph).model, options);
    const decoder = await OnnxInferenceSession.create(exportToOnnx(decoderGraph).model, options);
    return new OnnxMultimodalRuntime(vae, encoder, decoder);
  }

  /** `rawErrors(vae, scalers, windows, withReconstructions)` of multimodal-window-model.ts, in ONNX Runtime. */
  async rawErrors(scalers: MultimodalScalers, windows: readonly MultimodalInputs[], withReconstructions = false): Promise<RawAssessment> {
    const { config } = this.vae;
    const ms = config.modalities;
    const batch = windows.length;
    const L = config.latentDim;
    const inputs = {} as Record<ModalityName, Float32Array>;
    const present = {} as Record<ModalityName, Float32Array>;
    for (const m of ms) {
      const size = inputSize(config, m);
      inputs[m] = new Float32Array(batch * size);
      present[m] = new Float32Array(batch);
      windows.forEach((w, i) => {
        const x = w[m];
        if (x === undefined) return;
        if (x.length !== size) throw new MultimodalInputError(`window ${i}: ${m} has ${x.length} values, the model takes ${inputShape(config, m).join('×')} = ${size}`);
        inputs[m].set(scalers[m].transform(x), i * size);
        present[m][i] = 1;
      });
    }
    const feeds: Record<string, TensorData> = {};
    for (const m of ms) {
      feeds[`${m}_window`] = { data: inputs[m], shape: [batch, ...inputShape(config, m)] };
      if (!attends(config, m)) continue;
      const others = contextModalities(config, m);
      const C = others.reduce((n, o) => n + tokenCount(config, o), 0);
      const mask = new Float32Array(batch * C);
      for (let b = 0; b < batch; b++) {
        let at = 0;
        for (const o of others) {
          mask.fill(present[o][b]!, b * C + at, b * C + at + tokenCount(config, o));
          at += tokenCount(config, o);
        }
      }
      feeds[`${m}_context_mask`] = { data: mask, shape: [batch, C] };
    }
    const encoded = await this.encoder.run(feeds);
    const experts = ms.map((_, e) => ({ mean: encoded[this.encoder.outputNames[2 * e]!]!.data, logVar: encoded[this.encoder.outputNames[2 * e + 1]!]!.data }));
    // Product of Experts with the prior N(0, I), float32 like the tfjs graph.
    const fusedMean = new Float32Array(batch * L);
    const fusedLogVar = new Float32Array(batch * L);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < L; j++) {
        let precision = 1;
        let weighted = 0;
        ms.forEach((m, e) => {
          const p = present[m][b]!;
          if (p === 0) return;
          const k = b * L + j;
          const expertPrecision = Math.fround(Math.exp(-Math.min(LOG_VAR_LIMIT, Math.max(-LOG_VAR_LIMIT, experts[e]!.logVar[k]!))));
          precision = Math.fround(precision + expertPrecision);
          weighted = Math.fround(weighted + Math.fround(experts[e]!.mean[k]! * expertPrecision));
        });
        fusedMean[b * L + j] = weighted / precision;
        fusedLogVar[b * L + j] = -Math.log(precision);
      }
    }
    const out: RawAssessment = { errors: {}, reconstructions: {}, fusedMean, fusedLogVar };
    const decoded = await this.decoder.run({ [this.decoder.inputNames[0]!]: { data: fusedMean, shape: [batch, L] } });
    ms.forEach((m, d) => {
      const reconstruction = decoded[this.decoder.outputNames[d]!]!.data;
      const size = inputSize(config, m);
      const errors = new Float32Array(batch);
      for (let b = 0; b < batch; b++) {
        let sum = 0;
        for (let i = b * size; i < (b + 1) * size; i++) {
          const diff = inputs[m][i]! - reconstruction[i]!;
          sum += diff * diff;
        }
        errors[b] = sum / size;
      }
      out.errors[m] = errors;
      if (withReconstructions) out.reconstructions[m] = scalers[m].inverse(reconstruction);
    });
    return out;
  }

  async dispose(): Promise<void> {
    await Promise.all([this.encoder.dispose(), this.decoder.dispose()]);
  }
}
