/**
 * Training orchestration for an MVTec-layout category: seeded fit/calibration split of train/good, augmented
 * batches for the fit, the model's own training, then the threshold from the held-out good images.
 *
 * @example
 *   const model = await trainVisionModel({ dataDir, kind: 'gaussian', cacheDir, log: console.log });
 *   await model.save('models/mtd-gaussian');
 */
import * as path from 'node:path';
import { type FloatImage, listMvtecCategory, type MvtecSample } from '@vigil/datasets';
import { flipHorizontal, flipVertical } from '../augmentation/image-augmentation';
import { decodeForBackbone } from '../features/backbone-input';
import { calibrateThreshold } from '../evaluation/threshold';
import { scoreSamples } from '../evaluation/mvtec-evaluation';
import { type GaussianSettings, trainGaussianModel } from '../models/gaussian/gaussian-model';
import { decodeImage } from '@vigil/datasets';
import { trainConvVaeModel } from '../models/conv-vae/conv-vae.model';
import { VisionModelError } from '../models/load-vision-model';
import type { VisionModel, VisionModelKind } from '../models/vision-model';
import { splitGood } from './good-split';

export interface TrainVisionOptions {
  dataDir: string;
  kind: VisionModelKind;
  cacheDir: string;
  inputSize?: [number, number];
  /** Flip variants added to the fit set (1 = none, 2 = + left–right, 4 = + up–down and both). */
  flipVariants?: 1 | 2 | 4;
  calibrationFraction?: number;
  gaussian?: Partial<GaussianSettings>;
  convVae?: { epochs?: number };
  threads?: number;
  log?: (line: string) => void;
}

const FLIPS: ((image: FloatImage) => FloatImage)[] = [(i) => i, flipHorizontal, flipVertical, (i) => flipVertical(flipHorizontal(i))];

export async function trainVisionModel(options: TrainVisionOptions): Promise<VisionModel> {
  if (options.kind === 'conv-vae') return trainConvVaeOnCategory(options);
  if (options.kind !== 'gaussian') throw new VisionModelError(`model kind "${options.kind}" is not trainable yet (see the model card)`);
  const log = options.log ?? (() => undefined);
  const inputSize = options.inputSize ?? [256, 256];
  const category = listMvtecCategory(options.dataDir);
  const { fit, calibration } = splitGood(category.train, options.calibrationFraction ?? 0.1);
  const variants = FLIPS.slice(0, options.flipVariants ?? 1);
  log(`fitting on ${fit.length} good images × ${variants.length} flip variants; ${calibration.length} held out for the threshold`);
  const model = await trainGaussianModel({
    cacheDir: options.cacheDir,
    inputSize,
    data: path.resolve(options.dataDir),
    settings: options.gaussian ?? {},
    batches: augmentedBatches(fit, inputSize, variants, 8),
    ...(options.threads ? { threads: options.threads } : {}),
  });
  const goodScores = await scoreSamples(model, calibration);
  const { threshold, rule } = calibrateThreshold(goodScores);
  const calibrated = model.withThreshold(threshold, rule);
  calibrated.manifest.trainedOn.calibrationImages = calibration.length;
  log(`threshold ${threshold.toFixed(3)} (${rule})`);
  return calibrated;
}

async function* augmentedBatches(
  samples: readonly MvtecSample[],
  size: [number, number],
  variants: typeof FLIPS,
  batchSize: number,
): AsyncGenerator<FloatImage[]> {
  let pending: FloatImage[] = [];
  for (const sample of samples) {
    const image = await decodeForBackbone(sample.imagePath, size);
    for (const variant of variants) pending.push(variant(image));
    if (pending.length >= batchSize) {
      yield pending;
      pending = [];
    }
  }
  if (pending.length > 0) yield pending;
}

/** The plain pixel baseline: grey images at the conv VAE's size, no augmentation. */
async function trainConvVaeOnCategory(options: TrainVisionOptions): Promise<VisionModel> {
  const log = options.log ?? (() => undefined);
  const size = options.inputSize?.[0] ?? 64;
  const category = listMvtecCategory(options.dataDir);
  const { fit, calibration } = splitGood(category.train, options.calibrationFraction ?? 0.1);
  const pixels = size * size;
  const images = new Float32Array(fit.length * pixels);
  for (const [k, sample] of fit.entries()) images.set((await decodeImage(sample.imagePath, { size: [size, size], channels: 1 })).data, k * pixels);
  log(`conv VAE on ${fit.length} good images at ${size}×${size}; ${calibration.length} held out for the threshold`);
  const model = trainConvVaeModel(images, fit.length, { size, epochs: options.convVae?.epochs ?? 10, data: path.resolve(options.dataDir), log });
  const { threshold, rule } = calibrateThreshold(await scoreSamples(model, calibration));
  log(`threshold ${threshold.toFixed(4)} (${rule})`);
  return model.withThreshold(threshold, rule, calibration.length);
}
