/**
 * The multimodal VAE behind the serving contract (`ScoringModel`, kind `multimodal-vae`): named inputs
 * `sensor` `[steps][channels]`, `audio` `[frames][mels]`, `image` `[h][w][c]`, each `[batch, ...shape]` in one
 * Float32Array. An input left out of the batch is missing for every window; a per-window presence mask
 * `<modality>_present` (`[batch]`, 1 = present) marks it missing for some windows only (their rows are ignored).
 * Besides the contract's scores, fused latent and reconstructions (input units), `assess` returns each window's
 * calibrated per-modality errors and shares (`modalities`), from the same forward pass.
 *
 * @example
 *   const model = multimodalScoringModel(await loadMultimodalModel('models/multimodal-pump/v1'));
 *   const { scores, modalities } = model.assess({ batch: 2, inputs: { sensor, audio, image_present: Float32Array.of(1, 0), image } });
 */
import type { ModelAssessment, ModelInputBatch, ScoringModel } from '../scoring-model';
import { inputShape, inputSize } from './multimodal-vae-config';
import { type MultimodalInferenceRuntime, MultimodalInputError, type MultimodalWindowModel, type RawAssessment } from './multimodal-window-model';
import type { ModalityName, MultimodalAssessment, MultimodalInputs } from './types';

/** Name of the optional per-window presence input of a modality. */
export const presenceInput = (modality: ModalityName): string => `${modality}_present`;

export interface MultimodalModelAssessment extends ModelAssessment {
  /** Per window: calibrated error and share of each present modality, and which were present. */
  modalities: Pick<MultimodalAssessment, 'perModality' | 'shares' | 'present'>[];
}

export interface MultimodalScoringModel extends ScoringModel {
  readonly multimodal: MultimodalWindowModel;
  assess(batch: ModelInputBatch): MultimodalModelAssessment;
  assessAsync?(batch: ModelInputBatch): Promise<MultimodalModelAssessment>;
}

/** `runtime`: serve the inference pass there (`assessAsync`, e.g. `OnnxMultimodalRuntime`); `assess` stays on tfjs. */
export function multimodalScoringModel(model: MultimodalWindowModel, runtime?: MultimodalInferenceRuntime & { dispose?(): Promise<void> }): MultimodalScoringModel {
  const config = model.vae.config;
  const windowsOf = ({ batch, inputs }: ModelInputBatch): MultimodalInputs[] => {
    const windows: MultimodalInputs[] = Array.from({ length: batch }, () => ({}));
    for (const m of config.modalities) {
      const data = inputs[m];
      if (!data) continue;
      const size = inputSize(config, m);
      if (data.length !== batch * size) throw new MultimodalInputError(`input ${m}: ${data.length} values for ${batch} × ${inputShape(config, m).join('×')}`);
      const present = inputs[presenceInput(m)];
      for (let i = 0; i < batch; i++) if (!present || present[i]! > 0) windows[i]![m] = data.subarray(i * size, (i + 1) * size);
    }
    return windows;
  };
  const assessment = ({ batch, inputs }: ModelInputBatch, { windows: assessed, raw }: { windows: MultimodalAssessment[]; raw: RawAssessment }): MultimodalModelAssessment => {
    const reconstruction: Record<string, Float32Array> = {};
    for (const m of config.modalities) if (inputs[m]) reconstruction[m] = raw.reconstructions[m]!;
    return {
      scores: Float32Array.from(assessed, (a) => a.score),
      latent: { mean: raw.fusedMean, logVar: raw.fusedLogVar, batch, latentDim: config.latentDim },
      reconstruction,
      modalities: assessed.map(({ perModality, shares, present }) => ({ perModality, shares, present })),
      shares: assessed.map(({ shares }) => shares as Readonly<Record<string, number>>),
    };
  };
  return {
    kind: 'multimodal-vae',
    multimodal: model,
    version: model.version,
    inputs: config.modalities.map((m) => ({ name: m, shape: inputShape(config, m) })),
    latentDim: config.latentDim,
    assess: (batch) => assessment(batch, model.assess(windowsOf(batch))),
    ...(runtime ? { assessAsync: async (batch: ModelInputBatch) => assessment(batch, await model.assessOn(runtime, windowsOf(batch))) } : {}),
    dispose: () => {
      void runtime?.dispose?.();
      model.dispose();
    },
  };
}
