/**
 * Shared plumbing of the evaluation scripts: flags, a fitted model saved to the registry with its model card,
 * and compact printing. The maths lives in src/; this is glue.
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import {
  AUDIO_CLIP_INPUT,
  type AudioClipScoringModel,
  type Calibration,
  type DataDescription,
  type FittedWindowVae,
  MODEL_CARD_FILE,
  ModelRegistry,
  type ModelCardInput,
  type ModelAssessment,
  type ModelManifest,
  renderModelCard,
  trainingSummary,
  type WindowModelKind,
} from '../src';

/** `--name value` flags into a map; a flag without a value is `'true'`. */
export function parseFlags(argv: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) flags.set(arg.slice(2), 'true');
    else flags.set(arg.slice(2), argv[++i]!);
  }
  return flags;
}

/** The repo's `models/` folder (committed artifacts), unless `--registry` says otherwise. */
export function registryRoot(flags: Map<string, string>): string {
  return path.resolve(flags.get('registry') ?? path.join(__dirname, '..', '..', '..', 'models'));
}

export interface SaveInput {
  kind: WindowModelKind;
  name: string;
  data: DataDescription;
  calibration: Calibration;
  metrics: Record<string, number>;
  extra?: Record<string, unknown>;
  card: ModelCardInput;
}

export async function saveWithCard(root: string, fitted: FittedWindowVae, input: SaveInput): Promise<{ dir: string; manifest: ModelManifest }> {
  const saved = await new ModelRegistry(root).save(fitted.model, {
    kind: input.kind,
    name: input.name,
    data: input.data,
    calibration: input.calibration,
    hyperParameters: { ...fitted.trainingOptions, onEpochEnd: undefined, validation: undefined, model: fitted.model.vae.config },
    training: trainingSummary(fitted.result),
    metrics: input.metrics,
    extra: input.extra,
  });
  await writeFile(path.join(saved.dir, MODEL_CARD_FILE), renderModelCard(saved.manifest, input.card));
  return saved;
}

export function logEpoch(prefix: string) {
  return (log: { epoch: number; loss: number; validationLoss: number; klWeight: number; seconds: number }) =>
    console.log(
      `${prefix} epoch ${log.epoch}: loss ${log.loss.toFixed(3)} val ${log.validationLoss.toFixed(3)} β ${log.klWeight.toFixed(2)} (${log.seconds.toFixed(1)} s)`,
    );
}

export const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/** Clip inputs (`logMelContexts` of a window's samples each) scored by an audio clip model, 64 clips per call. */
export function scoreClips(model: AudioClipScoringModel, clips: readonly Float32Array[]): Float32Array {
  return assessClips(model, clips, (a) => a.scores, 1);
}

/** The clips' mean latents (`[clips][latentDim]` row-major), 64 clips per call. */
export function clipLatents(model: AudioClipScoringModel, clips: readonly Float32Array[]): Float32Array {
  return assessClips(model, clips, (a) => a.latent.mean, model.latentDim);
}

function assessClips(
  model: AudioClipScoringModel,
  clips: readonly Float32Array[],
  pick: (assessed: ModelAssessment) => Float32Array,
  perClip: number,
): Float32Array {
  const out = new Float32Array(clips.length * perClip);
  for (let i = 0; i < clips.length; i += 64) {
    const part = clips.slice(i, i + 64);
    const data = new Float32Array(part.reduce((n, x) => n + x.length, 0));
    part.forEach((x, k) => data.set(x, k * x.length));
    out.set(pick(model.assess({ batch: part.length, inputs: { [AUDIO_CLIP_INPUT]: data } })), i * perClip);
  }
  return out;
}
