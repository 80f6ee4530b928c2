/**
 * PaDiM-style vision model: EfficientNet-Lite0 features (ONNX) → a full-covariance Gaussian per grid position
 * (ONNX head) → Mahalanobis map, smoothed on the grid; the image score is the map's maximum.
 *
 * @example
 *   const model = await trainGaussianModel(trainImages, { cacheDir, dims: 344 });
 *   const [r] = await model.score([image]);  // { score, map } on the 32×32 grid at input 256
 *   await model.save('models/mtd-gaussian');
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FloatImage } from '@vigil/datasets';
import { mulberry32 } from '@vigil/features';
import { OnnxInferenceSession } from '@vigil/ml';
import { requireBackbone } from '../../backbone/backbone-files';
import { FEATURE_CHANNELS, FEATURE_STRIDE } from '../../backbone/efficientnet-lite0.constants';
import { FeatureBackbone } from '../../backbone/feature-backbone';
import { toChw } from '../../features/backbone-input';
import { mapMax, smoothMap } from '../../maps/anomaly-map';
import type { VisionManifest, VisionModel, VisionScore } from '../vision-model';
import { PositionGaussianFit } from './gaussian-fit';
import { buildGaussianHead, HEAD_INPUT, HEAD_OUTPUT } from './gaussian-head.onnx-graph';

export interface GaussianSettings {
  /** Feature channels kept (of 344), drawn with a fixed seed; fewer → less memory, a little less accuracy. */
  dims: number;
  /** Grid smoothing before the max, in grid cells. */
  sigma: number;
  ridge: number;
}

export const GAUSSIAN_DEFAULTS: GaussianSettings = { dims: 344, sigma: 2, ridge: 0.01 };
const HEAD_FILE = 'gaussian-head.onnx';

export class GaussianVisionModel implements VisionModel {
  private constructor(
    readonly manifest: VisionManifest,
    private readonly backbone: FeatureBackbone,
    private readonly head: OnnxInferenceSession,
    private readonly headBytes: Uint8Array,
  ) {}

  static async create(manifest: VisionManifest, headBytes: Uint8Array, cacheDir: string, threads?: number): Promise<GaussianVisionModel> {
    const options = threads ? { threads } : {};
    const backbone = await FeatureBackbone.load(requireBackbone(cacheDir), options);
    const head = await OnnxInferenceSession.create(headBytes, threads ? { intraOpNumThreads: threads } : {});
    return new GaussianVisionModel(manifest, backbone, head, headBytes);
  }

  static async load(dir: string, cacheDir: string, threads?: number): Promise<GaussianVisionModel> {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as VisionManifest;
    return GaussianVisionModel.create(manifest, readFileSync(path.join(dir, HEAD_FILE)), cacheDir, threads);
  }

  /** Backbone features for already-normalised images (see decodeForBackbone). */
  async features(images: readonly FloatImage[]): Promise<{ data: Float32Array; shape: number[] }> {
    const [h, w] = this.manifest.inputSize;
    const batch = new Float32Array(images.length * 3 * h * w);
    images.forEach((image, k) => toChw(image, batch, k * 3 * h * w));
    const features = await this.backbone.features(batch, [images.length, 3, h, w]);
    return { data: features.data as Float32Array, shape: features.shape };
  }

  async scoreFeatures(features: { data: Float32Array; shape: number[] }): Promise<VisionScore[]> {
    const [mh, mw] = this.manifest.mapSize;
    const out = await this.head.run({ [HEAD_INPUT]: features });
    const distance = out[HEAD_OUTPUT]!.data as Float32Array;
    const sigma = Number(this.manifest.settings.sigma ?? 0);
    const n = features.shape[0]!;
    return Array.from({ length: n }, (_, k) => {
      const map = smoothMap(distance.subarray(k * mh * mw, (k + 1) * mh * mw), mh, mw, sigma);
      return { score: mapMax(map), map };
    });
  }

  async score(images: readonly FloatImage[]): Promise<VisionScore[]> {
    return this.scoreFeatures(await this.features(images));
  }

  withThreshold(threshold: number, rule: string): GaussianVisionModel {
    return new GaussianVisionModel({ ...this.manifest, threshold, thresholdRule: rule }, this.backbone, this.head, this.headBytes);
  }

  async save(dir: string): Promise<void> {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, HEAD_FILE), this.headBytes);
    writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(this.manifest, null, 2)}\n`);
  }

  async dispose(): Promise<void> {
    await this.head.dispose();
    await this.backbone.dispose();
  }
}

/** The seeded channel subset (sorted), all 344 when `dims` ≥ 344. */
export function keptChannels(dims: number, seed = 0): number[] {
  const all = Array.from({ length: FEATURE_CHANNELS }, (_, i) => i);
  if (dims >= FEATURE_CHANNELS) return all;
  const random = mulberry32(seed);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, dims).sort((a, b) => a - b);
}

export interface GaussianTrainOptions {
  cacheDir: string;
  inputSize: [number, number];
  settings?: Partial<GaussianSettings>;
  data: string;
  /** Yields batches of normalised images (augmented variants included); called once. */
  batches: AsyncIterable<FloatImage[]>;
  threads?: number;
}

export async function trainGaussianModel(options: GaussianTrainOptions): Promise<GaussianVisionModel> {
  const settings = { ...GAUSSIAN_DEFAULTS, ...options.settings };
  const [h, w] = options.inputSize;
  const grid: [number, number] = [h / FEATURE_STRIDE, w / FEATURE_STRIDE];
  const channels = keptChannels(settings.dims);
  const backbone = await FeatureBackbone.load(requireBackbone(options.cacheDir), options.threads ? { threads: options.threads } : {});
  const fit = new PositionGaussianFit(channels, grid[0], grid[1]);
  const hash = createHash('sha256').update(JSON.stringify({ settings, inputSize: options.inputSize }));
  try {
    for await (const images of options.batches) {
      const batch = new Float32Array(images.length * 3 * h * w);
      images.forEach((image, k) => toChw(image, batch, k * 3 * h * w));
      const features = await backbone.features(batch, [images.length, 3, h, w]);
      fit.add(features.data as Float32Array, images.length);
      hash.update(batch.subarray(0, 64));
    }
  } finally {
    await backbone.dispose();
  }
  const gaussian = fit.finish(settings.ridge);
  const manifest: VisionManifest = {
    kind: 'gaussian',
    version: `gaussian-${hash.digest('hex').slice(0, 12)}`,
    inputSize: options.inputSize,
    channels: 3,
    threshold: Number.POSITIVE_INFINITY,
    thresholdRule: 'not calibrated',
    mapSize: grid,
    settings: { ...settings, channels: channels.length === FEATURE_CHANNELS ? 'all' : channels, trainImages: gaussian.count },
    trainedOn: { data: options.data, images: gaussian.count, calibrationImages: 0 },
  };
  return GaussianVisionModel.create(manifest, buildGaussianHead(gaussian, channels, grid[0], grid[1]), options.cacheDir, options.threads);
}
