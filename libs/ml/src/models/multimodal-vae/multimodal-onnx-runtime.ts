/**
 * The multimodal VAE's inference pass (`rawErrors`) in ONNX Runtime, as one graph served as one session: the
 * tokenizers and expert heads (with the cross-modal attention), the Product of Experts with the prior expert, the
 * decoders on the fused code and each modality's mean squared error — exactly as `MultimodalVae.errors` computes
 * them for `fusion: 'poe'`. Only the scaling of the inputs, the context masks and the presence flags are built
 * here. One graph means one session run (one hand-off, one round trip to the ONNX session worker thread where the
 * detector serves it) and nothing of the model's maths on the caller's thread. Serving it here instead of in
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

/** The graph's own tensor names: its inputs beyond the windows and context masks, and its outputs. */
const present = (m: ModalityName) => `${m}_present`;
const errorOf = (m: ModalityName) => `${m}_error`;
const reconstructionOf = (m: ModalityName) => `${m}_reconstruction`;
const FUSED_MEAN = 'fused_mean';
const FUSED_LOG_VAR = 'fused_log_var';

export class OnnxMultimodalRuntime {
  private constructor(
    private readonly vae: MultimodalVae,
    /** Windows, context masks and presence flags → fused posterior, each modality's error and reconstruction. */
    private readonly session: OnnxInferenceSession,
  ) {}

  /**
   * Wires the exported parts into one graph (`exportMultimodalScoring`). One intra-op thread unless `options` say
   * otherwise: the graph is small and a thread pool's spinning would take CPU from the event loop that feeds it.
   * `options.host: 'worker'` runs it in the ONNX session worker thread (the detector), off the caller's event loop.
   */
  static async create(vae: MultimodalVae, options: OnnxSessionOptions = {}): Promise<OnnxMultimodalRuntime> {
    if (vae.config.fusion !== 'poe') throw new UnsupportedFusionError(`ONNX serving implements the Product of Experts only; this model fuses by ${vae.config.fusion}`);
    return new OnnxMultimodalRuntime(vae, await OnnxInferenceSession.create(exportMultimodalScoring(vae), { intraOpNumThreads: 1, ...options }));
  }

  /** `rawErrors(vae, scalers, windows, withReconstructions)` of multimodal-window-model.ts, in ONNX Runtime. */
  async rawErrors(scalers: MultimodalScalers, windows: readonly MultimodalInputs[], withReconstructions = false): Promise<RawAssessment> {
    const { config } = this.vae;
    const ms = config.modalities;
    const batch = windows.length;
    const feeds: Record<string, TensorData> = {};
    const presence = {} as Record<ModalityName, Float32Array>;
    const inputs = {} as Record<ModalityName, Float32Array>;
    for (const m of ms) {
      const size = inputSize(config, m);
      inputs[m] = new Float32Array(batch * size);
      presence[m] = new Float32Array(batch);
      windows.forEach((w, i) => {
        const x = w[m];
        if (x === undefined) return;
        if (x.length !== size) throw new MultimodalInputError(`window ${i}: ${m} has ${x.length} values, the model takes ${inputShape(config, m).join('×')} = ${size}`);
        inputs[m].set(scalers[m].transform(x), i * size);
        presence[m][i] = 1;
      });
      feeds[`${m}_window`] = { data: inputs[m], shape: [batch, ...inputShape(config, m)] };
      feeds[present(m)] = { data: presence[m], shape: [batch, 1] };
    }
    for (const m of ms) {
      if (!attends(config, m)) continue;
      const others = contextModalities(config, m);
      const C = others.reduce((n, o) => n + tokenCount(config, o), 0);
      const mask = new Float32Array(batch * C);
      for (let b = 0; b < batch; b++) {
        let at = 0;
        for (const o of others) {
          mask.fill(presence[o][b]!, b * C + at, b * C + at + tokenCount(config, o));
          at += tokenCount(config, o);
        }
      }
      feeds[`${m}_context_mask`] = { data: mask, shape: [batch, C] };
    }
    // Reconstructions are computed either way (the errors need them), but copied out only when asked for.
    const wanted = [FUSED_MEAN, FUSED_LOG_VAR, ...ms.map(errorOf), ...(withReconstructions ? ms.map(reconstructionOf) : [])];
    const out = await this.session.run(feeds, wanted);
    const raw: RawAssessment = { errors: {}, reconstructions: {}, fusedMean: out[FUSED_MEAN]!.data, fusedLogVar: out[FUSED_LOG_VAR]!.data };
    for (const m of ms) {
      raw.errors[m] = out[errorOf(m)]!.data;
      if (withReconstructions) raw.reconstructions[m] = scalers[m].inverse(out[reconstructionOf(m)]!.data);
    }
    return raw;
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }
}

/**
 * The PoE-fused model's inference pass as one ONNX graph. Inputs: each modality's scaled window `<m>_window`, its
 * presence `<m>_present` [batch, 1] (1 or 0) and, for a modality that attends, `<m>_context_mask` (1 per context
 * token whose modality is present). Outputs: `fused_mean`, `fused_log_var`, and per modality `<m>_error` (mean
 * squared error of the scaled window, [batch]) and `<m>_reconstruction`. The fusion is gaussian-experts.ts's with
 * the prior N(0, I): precision 1 + Σ present·exp(−clip(logVar, ±10)), mean Σ present·mean·precision / precision.
 */
export function exportMultimodalScoring(vae: MultimodalVae): Uint8Array {
  const { config } = vae;
  const ms = config.modalities;
  type Symbolic = ReturnType<typeof tf.input>;
  const windows = ms.map((m) => tf.input({ shape: inputShape(config, m), name: `${m}_window` }));
  const tokens = Object.fromEntries(ms.map((m, i) => [m, vae.tokenizers[m].apply(windows[i]!) as Symbolic])) as Record<ModalityName, Symbolic>;
  const masks: Symbolic[] = [];
  const experts: Symbolic[] = [];
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
    experts.push(head[0]!, head[1]!);
  }
  const encoders = tf.model({ inputs: [...windows, ...masks], outputs: experts, name: 'multimodal_scoring' });
  const L = config.latentDim;
  return exportToOnnx(encoders, {
    tail: (g, { outputs, batch, inline }) => {
      const scalar = (name: string, value: number) => g.addFloatInitializer(name, [], [value]);
      const [low, high, one] = [scalar('log_var_low', -LOG_VAR_LIMIT), scalar('log_var_high', LOG_VAR_LIMIT), scalar('prior_precision', 1)];
      // In modality order, as the tfjs graph sums them; an absent expert adds exactly 0 to both sums.
      let precision = one;
      let weighted: string | undefined;
      ms.forEach((m, e) => {
        const [mean, logVar] = [outputs[2 * e]!, outputs[2 * e + 1]!];
        const presence = g.reserveName(present(m));
        const expertPrecision = g.op('Mul', [g.op('Exp', [g.op('Neg', [g.op('Clip', [logVar, low, high])])]), presence]);
        precision = g.op('Add', [precision, expertPrecision]);
        const term = g.op('Mul', [mean, expertPrecision]);
        weighted = weighted === undefined ? term : g.op('Add', [weighted, term]);
      });
      g.addNode('Div', [weighted!, precision], {}, [g.reserveName(FUSED_MEAN)]);
      g.addNode('Neg', [g.op('Log', [precision])], {}, [g.reserveName(FUSED_LOG_VAR)]);
      const graphOutputs = [
        { name: FUSED_MEAN, shape: [batch, L] },
        { name: FUSED_LOG_VAR, shape: [batch, L] },
      ];
      for (const m of ms) {
        const [decoded] = inline(vae.decoders[m], [FUSED_MEAN]) as [string];
        const shape = inputShape(config, m);
        g.addNode('Identity', [decoded], {}, [g.reserveName(reconstructionOf(m))]);
        const diff = g.op('Sub', [`${m}_window`, decoded]);
        const axes = shape.map((_, i) => i + 1);
        g.addNode('ReduceMean', [g.op('Mul', [diff, diff])], { axes, keepdims: 0 }, [g.reserveName(errorOf(m))]);
        graphOutputs.push({ name: errorOf(m), shape: [batch] }, { name: reconstructionOf(m), shape: [batch, ...shape] });
      }
      return { outputs: graphOutputs, inputs: ms.map((m) => ({ name: present(m), shape: [batch, 1] })) };
    },
  }).model;
}
