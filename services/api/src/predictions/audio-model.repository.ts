/**
 * The only file that reads the audio VAE from disk: the registry's newest version of `API_AUDIO_MODEL` (a
 * window model of kind `audio-vae` over log-mel frames), its calibrated threshold and the log-mel options it was
 * trained on (manifest `extra.features`). Loaded on first use, so the API starts without it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadWindowModel, type LogMelFeatureOptions, logMelFeaturesOf, ModelRegistry, type WindowModel } from '@vigil/ml';

export interface LoadedAudioModel {
  model: WindowModel;
  /** `<name>@<version>`, as results name models. */
  modelVersion: string;
  threshold: number;
  features: LogMelFeatureOptions;
}

export class AudioModelRepository {
  private loading?: Promise<LoadedAudioModel>;

  constructor(
    private readonly modelsDir: string,
    readonly modelName: string,
  ) {}

  get available(): boolean {
    return existsSync(join(this.modelsDir, this.modelName));
  }

  model(): Promise<LoadedAudioModel> {
    this.loading ??= this.load();
    return this.loading;
  }

  private async load(): Promise<LoadedAudioModel> {
    const dir = await new ModelRegistry(this.modelsDir).latest(this.modelName);
    const { model, manifest } = await loadWindowModel(dir);
    if (manifest.kind !== 'audio-vae') throw new Error(`${dir} is a ${manifest.kind}, not an audio-vae`);
    const features = logMelFeaturesOf(manifest);
    if (!manifest.calibration) throw new Error(`${dir}: manifest has no calibrated threshold`);
    return { model, modelVersion: `${manifest.name}@${manifest.version}`, threshold: manifest.calibration.threshold, features };
  }
}
