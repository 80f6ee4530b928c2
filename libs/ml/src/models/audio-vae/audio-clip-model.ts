/**
 * The audio VAE over a clip of fixed length (a detector window's sound): the clip's log-mel context windows all go
 * through the window model in one pass and the clip's score is their mean — the DCASE 2020 baseline's clip score,
 * which suits machine sound whose fault is in every frame (a worn bearing's whine) rather than in one click.
 * Training and serving compute the features with `logMelContexts`, so both read the same numbers.
 *
 * @example
 *   const clip = audioClipScoringModel(model, features, 48_000);         // 3 s windows at 16 kHz
 *   const { scores } = clip.assess({ batch: 1, inputs: { audio: logMelContexts(samples, features).data } });
 */
import { type FrameBatch, logMelContextWindows } from '@vigil/features';
import { z } from 'zod';
import { type ModelAssessment, type ModelInputBatch, type ScoringModel } from '../scoring-model';
import type { WindowAssessment, WindowBatch, WindowModel } from '../window-model';
import type { LatentDensity } from './latent-density';
import type { LogMelFeatureOptions } from './types';

const logMelFeatureOptions = z.object({
  sampleRate: z.number().positive(),
  nFft: z.number().int().positive(),
  hop: z.number().int().positive(),
  nMels: z.number().int().positive(),
  frames: z.number().int().positive(),
  frameHop: z.number().int().positive(),
});

/** The log-mel options an audio VAE was trained on, from its manifest's `extra.features`; throws when absent or malformed. */
export function logMelFeaturesOf(manifest: { name: string; extra?: Record<string, unknown> }): LogMelFeatureOptions {
  const parsed = logMelFeatureOptions.safeParse(manifest.extra?.features);
  if (!parsed.success) throw new Error(`${manifest.name}: manifest extra.features lacks the log-mel options the model was trained on`);
  return parsed.data;
}

/** The input name of an audio clip model: the clip's context windows, `[contexts][frames][mels]`. */
export const AUDIO_CLIP_INPUT = 'audio';

/**
 * The log-mel context windows `[frames][mels]` of `samples` (at `features.sampleRate`), one every `frameHop`
 * frames (`logMelContextWindows` of @vigil/features, which `logMelWindows` of @vigil/datasets trains from too).
 */
export function logMelContexts(samples: Float32Array, features: LogMelFeatureOptions): FrameBatch {
  const { sampleRate, nFft, hop, nMels, frames, frameHop } = features;
  return logMelContextWindows(samples, { sampleRate, nFft, hop, nMels, frames, frameHop });
}

/** Context windows in a clip of `samples` samples (centred STFT: 1 + ⌊n / hop⌋ frames). */
export function contextsPerClip(samples: number, features: LogMelFeatureOptions): number {
  const frames = 1 + Math.floor(samples / features.hop);
  return frames >= features.frames ? Math.floor((frames - features.frames) / features.frameHop) + 1 : 0;
}

export interface AudioClipScoringModel extends ScoringModel {
  readonly window: WindowModel;
  /** What the clip's score is: its contexts' mean reconstruction error, or its latent's distance to a machine's normal. */
  readonly score: 'reconstruction' | 'latent-density';
  readonly features: LogMelFeatureOptions;
  /** Samples per clip and context windows per clip. */
  readonly clipSamples: number;
  readonly contexts: number;
}

/** How a clip model serves: on another runtime, and with a latent density as its score. */
export interface AudioClipScoring {
  runtime?: { assess(x: WindowBatch): Promise<WindowAssessment>; dispose(): Promise<void> };
  density?: LatentDensity;
}

/**
 * `model` (an audio VAE over `[frames][mels]`) scoring clips of `clipSamples` samples: latent = mean of the clip's
 * context-window posteriors, reconstruction in the input's layout, score = mean of the context-window scores
 * (reconstruction error) or, with `density`, the mean latent's distance to the nearest known machine's normal
 * (latent-density.ts: why). `runtime`: the same window assessment on a faster runtime (ONNX), served as `assessAsync`.
 */
export function audioClipScoringModel(
  model: WindowModel,
  features: LogMelFeatureOptions,
  clipSamples: number,
  { runtime, density }: AudioClipScoring = {},
): AudioClipScoringModel {
  if (density && density.latentDim !== model.latentDim)
    throw new Error(`${model.version}: the latent density is ${density.latentDim}-dimensional, the model's latent ${model.latentDim}`);
  if (features.frames !== model.steps || features.nMels !== model.channels)
    throw new Error(`${model.version}: features give ${features.frames}×${features.nMels} windows, the model reads ${model.steps}×${model.channels}`);
  const contexts = contextsPerClip(clipSamples, features);
  if (contexts === 0) throw new RangeError(`${model.version}: a clip of ${clipSamples} samples holds no ${features.frames}-frame context window`);
  const windowsOf = ({ batch, inputs }: ModelInputBatch): WindowBatch => {
    const data = inputs[AUDIO_CLIP_INPUT];
    if (!data) throw new Error(`${model.version}: missing input "${AUDIO_CLIP_INPUT}"`);
    return { data, batch: batch * contexts, steps: model.steps, channels: model.channels };
  };
  const perClip = (batch: number, a: WindowAssessment): ModelAssessment => {
    const d = model.latentDim;
    const scores = new Float32Array(batch);
    const mean = new Float32Array(batch * d);
    const logVar = new Float32Array(batch * d);
    for (let b = 0; b < batch; b++) {
      let sum = 0;
      for (let c = 0; c < contexts; c++) {
        const k = b * contexts + c;
        sum += a.scores[k]!;
        for (let j = 0; j < d; j++) {
          mean[b * d + j] = mean[b * d + j]! + a.latent.mean[k * d + j]! / contexts;
          logVar[b * d + j] = logVar[b * d + j]! + a.latent.logVar[k * d + j]! / contexts;
        }
      }
      scores[b] = density ? density.score(mean, b * d) : sum / contexts;
    }
    return { scores, latent: { mean, logVar, batch, latentDim: d }, reconstruction: { [AUDIO_CLIP_INPUT]: a.reconstruction.data } };
  };
  return {
    kind: 'audio-vae',
    window: model,
    score: density ? 'latent-density' : 'reconstruction',
    features,
    clipSamples,
    contexts,
    get version() {
      return model.version;
    },
    inputs: [{ name: AUDIO_CLIP_INPUT, shape: [contexts, model.steps, model.channels] }],
    latentDim: model.latentDim,
    assess: (batch) => perClip(batch.batch, model.assess(windowsOf(batch))),
    ...(runtime ? { assessAsync: async (batch: ModelInputBatch) => perClip(batch.batch, await runtime.assess(windowsOf(batch))) } : {}),
    dispose: () => {
      void runtime?.dispose();
      (model as { dispose?: () => void }).dispose?.();
    },
  };
}
