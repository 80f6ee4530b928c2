/**
 * A vision model as the detector serves every model: the `ScoringModel` contract of @vigil/ml (named inputs, one
 * assessment per batch), so libs/detection's image scorer and the detector never see tfjs, ONNX or the backbone.
 * Input `image`: `[height][width][channels]` at the manifest's input size, values 0..1. The assessment's
 * `reconstruction` carries the pixel anomaly map as `image_map` (row-major `mapSize`): for a vision model the map
 * is the per-cell reconstruction error the explainer needs, and the feature VAE has no pixel reconstruction at all.
 *
 * @example
 *   const model = visionScoringModel(await loadLiveVisionModel('models/thermal-conv-vae', { runtime: 'onnxruntime' }));
 *   const { scores, reconstruction } = await model.assessAsync!({ batch: 1, inputs: { image } });
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exampleSize, type ModelAssessment, type ModelInputBatch, type OnnxSessionHost, type ScoringModel } from '@vigil/ml';
import { loadVisionModel } from '../models/load-vision-model';
import { ConvVaeVisionModel } from '../models/conv-vae/conv-vae.model';
import type { VisionManifest, VisionModel } from '../models/vision-model';
import { OnnxConvVaeVisionModel } from './conv-vae-onnx';

export const IMAGE_INPUT = 'image';
/** The anomaly map's key in `ModelAssessment.reconstruction`. */
export const IMAGE_MAP_OUTPUT = 'image_map';

export class SynchronousVisionScoringError extends Error {
  readonly retriable = false;
  constructor(version: string) {
    super(`${version}: vision models score asynchronously (ONNX sessions, image backbone); call assessAsync`);
    this.name = 'SynchronousVisionScoringError';
  }
}

export interface VisionScoringModel extends ScoringModel {
  readonly manifest: VisionManifest;
  assessAsync(batch: ModelInputBatch): Promise<ModelAssessment>;
}

export function visionScoringModel(model: VisionModel): VisionScoringModel {
  const { manifest } = model;
  const [height, width] = manifest.inputSize;
  const spec = { name: IMAGE_INPUT, shape: [height, width, manifest.channels] };
  const size = exampleSize(spec);
  // The conv VAE's posterior is its latent; the feature models give none (latentDim 0: no latent published to watch).
  const latentDim = manifest.kind === 'conv-vae' ? Number(manifest.settings.latent) : 0;
  return {
    kind: manifest.kind === 'conv-vae' ? 'vision-vae' : 'feature-vae',
    version: manifest.version,
    manifest,
    inputs: [spec],
    latentDim,
    assess() {
      throw new SynchronousVisionScoringError(manifest.version);
    },
    async assessAsync({ batch, inputs }) {
      const data = inputs[IMAGE_INPUT];
      if (!data || data.length !== batch * size)
        throw new RangeError(`${manifest.version}: input "${IMAGE_INPUT}" needs ${batch} × ${spec.shape.join('×')} values, got ${data?.length ?? 0}`);
      const images = Array.from({ length: batch }, (_, k) => ({ data: data.subarray(k * size, (k + 1) * size), height, width, channels: manifest.channels }));
      const scored = await model.score(images);
      const [mh, mw] = manifest.mapSize;
      const maps = new Float32Array(batch * mh * mw);
      const mean = new Float32Array(batch * latentDim);
      const logVar = new Float32Array(batch * latentDim);
      scored.forEach((s, k) => {
        maps.set(s.map.subarray(0, mh * mw), k * mh * mw);
        if (latentDim > 0 && s.latent) {
          mean.set(s.latent.mean, k * latentDim);
          logVar.set(s.latent.logVar, k * latentDim);
        }
      });
      return { scores: Float32Array.from(scored, (s) => s.score), latent: { mean, logVar, batch, latentDim }, reconstruction: { [IMAGE_MAP_OUTPUT]: maps } };
    },
    dispose() {
      void model.dispose();
    },
  };
}

export type LiveVisionRuntime = 'onnxruntime' | 'tfjs';

/**
 * The model of a vision folder, served live: a conv VAE on `runtime` (its ONNX export, or tfjs-node); a feature
 * VAE / Gaussian folder (models/mtd-feature-vae) on its own ONNX backbone and heads whatever `runtime` says — it
 * needs the converted EfficientNet-Lite2 in `cacheDir` (npm run provision:backbone -w libs/vision). `host`: where
 * the conv VAE's ONNX sessions run (`worker`: the ONNX session worker thread); the feature models' sessions stay
 * in this thread for now (GaussianVisionModel opens them).
 */
export async function loadLiveVisionModel(
  dir: string,
  options: { runtime: LiveVisionRuntime; cacheDir: string; threads?: number; host?: OnnxSessionHost },
): Promise<VisionModel> {
  const probe = await loadManifestKind(dir);
  if (probe === 'conv-vae')
    return options.runtime === 'onnxruntime'
      ? OnnxConvVaeVisionModel.load(dir, { threads: options.threads, host: options.host })
      : ConvVaeVisionModel.load(dir);
  return loadVisionModel(dir, { cacheDir: options.cacheDir, ...(options.threads ? { threads: options.threads } : {}), host: options.host });
}

async function loadManifestKind(dir: string): Promise<VisionManifest['kind']> {
  const file = join(dir, 'manifest.json');
  try {
    return (JSON.parse(await readFile(file, 'utf8')) as VisionManifest).kind;
  } catch (error) {
    throw new Error(`${file} is missing or not JSON (${(error as Error).message})`);
  }
}
