/**
 * The contract every served model offers, whatever it reads: named inputs of any shape (a sensor window
 * `[steps][channels]`, audio log-mel frames `[frames][mels]`, an image `[h][w][c]` or its features, several
 * inputs for a fused model). Plain typed arrays in and out, synchronous, no tensors across the boundary, so
 * `libs/detection` and the services never import TensorFlow.js. The manifest's `kind` says which family it is.
 *
 * Layout: each input of a batch is row-major `[batch, ...shape]` in one Float32Array.
 *
 * @example
 *   const model = windowScoringModel(timeSeriesVae);           // one input, 'window', shape [steps, channels]
 *   const { scores, latent, reconstruction } = model.assess({ batch: 2, inputs: { window: data } });
 */
import type { LatentBatch, WindowAssessment, WindowBatch, WindowModel } from './window-model';

/** Model families that serve through this contract (the registry manifest's `kind`). */
export type ScoringModelKind = 'timeseries-vae' | 'audio-vae' | 'vision-vae' | 'feature-vae' | 'multimodal-vae';

export interface ModelInputSpec {
  /** Input name, e.g. `window`, `sensor`, `audio`, `image`. */
  readonly name: string;
  /** Shape of one example (without the batch dimension). */
  readonly shape: readonly number[];
}

export interface ModelInputBatch {
  readonly batch: number;
  /** One array per input the model needs; a fused model may accept a subset (see its docs). */
  readonly inputs: Readonly<Record<string, Float32Array>>;
}

export interface ModelAssessment {
  /** Anomaly score per example; higher is more anomalous. */
  scores: Float32Array;
  latent: LatentBatch;
  /** Deterministic reconstruction per reconstructed input, same layout as the input. */
  reconstruction: Readonly<Record<string, Float32Array>>;
  /** A fused model's per-example share of the score per input (sums to 1 over the inputs present). */
  shares?: readonly Readonly<Record<string, number>>[];
}

export interface ScoringModel {
  readonly kind: ScoringModelKind;
  readonly version: string;
  readonly inputs: readonly ModelInputSpec[];
  readonly latentDim: number;
  /** Scores, latent posterior and reconstruction from one forward pass: the serving hot path. */
  assess(batch: ModelInputBatch): ModelAssessment;
  /**
   * The same assessment from a faster runtime than `assess`'s, where the model has one (ONNX Runtime: its
   * sessions only run asynchronously). The detector prefers it.
   */
  assessAsync?(batch: ModelInputBatch): Promise<ModelAssessment>;
  dispose?(): void;
}

/** Elements of one example of `spec`. */
export function exampleSize(spec: ModelInputSpec): number {
  return spec.shape.reduce((a, b) => a * b, 1);
}

/** The name of a window model's one input. */
export const WINDOW_INPUT = 'window';

/**
 * A window model (`[steps][channels]`: the time-series VAE, or the audio VAE over log-mel frames) as a ScoringModel.
 * `runtime`: the same assessment on a faster runtime (`OnnxVaeWindowRuntime`), served as `assessAsync`.
 */
export function windowScoringModel(
  model: WindowModel,
  kind: 'timeseries-vae' | 'audio-vae' = 'timeseries-vae',
  runtime?: { assess(x: WindowBatch): Promise<WindowAssessment>; dispose(): Promise<void> },
): ScoringModel & { readonly window: WindowModel } {
  const windowOf = ({ batch, inputs }: ModelInputBatch): WindowBatch => {
    const data = inputs[WINDOW_INPUT];
    if (!data) throw new Error(`${model.version}: missing input "${WINDOW_INPUT}"`);
    return { data, batch, steps: model.steps, channels: model.channels };
  };
  const assessment = ({ scores, latent, reconstruction }: WindowAssessment): ModelAssessment => ({ scores, latent, reconstruction: { [WINDOW_INPUT]: reconstruction.data } });
  return {
    kind,
    window: model,
    get version() {
      return model.version;
    },
    inputs: [{ name: WINDOW_INPUT, shape: [model.steps, model.channels] }],
    latentDim: model.latentDim,
    assess: (batch) => assessment(model.assess(windowOf(batch))),
    ...(runtime ? { assessAsync: async (batch: ModelInputBatch) => assessment(await runtime.assess(windowOf(batch))) } : {}),
    dispose: () => {
      void runtime?.dispose();
      (model as { dispose?: () => void }).dispose?.();
    },
  };
}
