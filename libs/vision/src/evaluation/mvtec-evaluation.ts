/**
 * Image and pixel ROC-AUC of a vision model on an MVTec-layout category, per defect type (each type's images
 * against all test/good images) and over all types together; pixel ROC-AUC over every test pixel, with the map
 * upsampled to the model's input size and the masks resized to it.
 *
 * @example
 *   const report = await evaluateOnCategory(model, listMvtecCategory(dir), { batchSize: 8 });
 *   report.image.all; report.image.perType.crack; report.pixel;
 */
import { decodeImage, decodeMask, type FloatImage, GOOD, IMAGENET_NORMALISATION, type MvtecCategory, type MvtecSample } from '@vigil/datasets';
import { rocAuc } from '@vigil/ml';
import { upsampleBilinear } from '../maps/anomaly-map';
import type { VisionModel, VisionScore } from '../models/vision-model';
import { BinnedRocAuc } from './binned-roc-auc';

export interface CategoryReport {
  image: { all: number; perType: Record<string, number> };
  pixel: number;
  images: { file: string; defectType: string; score: number }[];
}

/** Decodes the way the model was trained: its input size and channels; ImageNet normalisation for backbone models. */
export function decodeForModel(model: VisionModel, source: string | Buffer): Promise<FloatImage> {
  const { inputSize, channels, kind } = model.manifest;
  return decodeImage(source, { size: inputSize, channels, ...(kind === 'conv-vae' ? {} : { normalise: IMAGENET_NORMALISATION }) });
}

export async function scoreSamples(
  model: VisionModel,
  samples: readonly MvtecSample[],
  batchSize = 8,
  onBatch?: (scores: VisionScore[], batch: readonly MvtecSample[]) => Promise<void>,
): Promise<number[]> {
  const scores: number[] = [];
  for (let start = 0; start < samples.length; start += batchSize) {
    const batch = samples.slice(start, start + batchSize);
    const images = await Promise.all(batch.map((s) => decodeForModel(model, s.imagePath)));
    const results = await model.score(images);
    scores.push(...results.map((r) => r.score));
    if (onBatch) await onBatch(results, batch);
  }
  return scores;
}

export async function evaluateOnCategory(model: VisionModel, category: MvtecCategory, options: { batchSize?: number } = {}): Promise<CategoryReport> {
  const [h, w] = model.manifest.inputSize;
  const [mh, mw] = model.manifest.mapSize;
  const pixelMaps: { map: Float32Array; mask: Uint8Array }[] = [];
  let maxValue = 0;
  const scores = await scoreSamples(model, category.test, options.batchSize ?? 8, async (results, batch) => {
    for (const [k, sample] of batch.entries()) {
      const map = upsampleBilinear(results[k]!.map, mh, mw, h, w);
      const mask = sample.maskPath ? (await decodeMask(sample.maskPath, [h, w])).data : new Uint8Array(h * w);
      for (const v of map) if (v > maxValue) maxValue = v;
      pixelMaps.push({ map, mask });
    }
  });
  const pixel = new BinnedRocAuc(0, maxValue);
  for (const { map, mask } of pixelMaps) pixel.add(map, mask);
  const isGood = category.test.map((s) => s.defectType === GOOD);
  const perType: Record<string, number> = {};
  for (const type of category.defectTypes) {
    const picked = category.test.flatMap((s, i) => (s.defectType === type || isGood[i] ? [i] : []));
    perType[type] = rocAuc(
      picked.map((i) => scores[i]!),
      picked.map((i) => (isGood[i] ? 0 : 1)),
    );
  }
  return {
    image: {
      all: rocAuc(
        scores,
        isGood.map((g) => (g ? 0 : 1)),
      ),
      perType,
    },
    pixel: pixel.value(),
    images: category.test.map((s, i) => ({ file: s.imagePath, defectType: s.defectType, score: scores[i]! })),
  };
}
