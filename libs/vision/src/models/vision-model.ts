/**
 * The contract every vision model in this library serves behind, small on purpose so the detector can adapt it to
 * its own model contract: batches of images in, a score and a pixel anomaly map per image out.
 *
 * @example
 *   const model = await loadVisionModel('models/mtd-feature-vae', { cacheDir });
 *   const [result] = await model.score([await decodeForModel(model, 'tile.jpg')]);
 *   result.score > model.manifest.threshold;  // anomalous
 *   result.map;                               // Float32Array of mapHeight × mapWidth
 */
import type { FloatImage } from '@vigil/datasets';

export type VisionModelKind = 'gaussian' | 'feature-vae' | 'conv-vae';

export interface VisionManifest {
  kind: VisionModelKind;
  /** Changes whenever the fitted parameters change (hash of the training run's inputs and settings). */
  version: string;
  /** `[height, width]` every image is resized to. */
  inputSize: [number, number];
  channels: 1 | 3;
  /** Score above which an image is anomalous, calibrated on held-out good images. */
  threshold: number;
  /** How the threshold was chosen (quantile of held-out good scores). */
  thresholdRule: string;
  /** Size of `VisionScore.map` (the model's grid, upsampled by the caller when needed). */
  mapSize: [number, number];
  /** Model-specific settings (channels kept, smoothing sigma, β, …). */
  settings: Record<string, unknown>;
  trainedOn: { data: string; images: number; calibrationImages: number };
}

export interface VisionScore {
  /** Image anomaly score: the maximum of the smoothed map (or the mean of its top k cells, settings.topK). */
  score: number;
  /** Per-cell anomaly, row-major `mapSize`. */
  map: Float32Array;
  /** Posterior mean and log-variance for VAE models (what the drift service watches). */
  latent?: { mean: Float32Array; logVar: Float32Array };
}

export interface VisionModel {
  readonly manifest: VisionManifest;
  /** Images decoded at `manifest.inputSize` with `manifest.channels`, values 0..1 (see decodeForModel). */
  score(images: readonly FloatImage[]): Promise<VisionScore[]>;
  save(dir: string): Promise<void>;
  dispose(): Promise<void>;
}
