/**
 * Image and pixel ROC-AUC of a vision model on an MVTec-layout category, per defect type (each type's images
 * against all test/good images) and over all types together; pixel ROC-AUC over every test pixel, with the map
 * upsampled to the model's input size and the masks resized to it. `evaluateViewsOnCategory` scores several views
 * of one model (the fused feature VAE, its Gaussian, each input size alone) from one backbone pass per batch.
 *
 * @example
 *   const report = await evaluateOnCategory(model, listMvtecCategory(dir), { batchSize: 8 });
 *   report.image.all; report.image.perType.crack; report.pixel;
 */
import { decodeImage, decodeMask, type FloatImage, GOOD, type MvtecCategory, type MvtecSample } from '@vigil/datasets';
import { rocAuc } from '@vigil/ml';
import { upsampleBilinear } from '../maps/anomaly-map';
import type { VisionManifest, VisionModel, VisionScore } from '../models/vision-model';
import { BinnedRocAuc } from './binned-roc-auc';

export interface CategoryReport {
  image: { all: number; perType: Record<string, number> };
  pixel: number;
  images: { file: string; defectType: string; score: number }[];
}

/** Decodes the way the model was trained: its input size and channels, values 0..1 (a backbone model normalises inside). */
export function decodeForModel(model: VisionModel, source: string | Buffer): Promise<FloatImage> {
  const { inputSize, channels } = model.manifest;
  return decodeImage(source, { size: inputSize, channels });
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
  const [report] = await evaluateViewsOnCategory(model, [model.manifest], async (images) => [await model.score(images)], category, options);
  return report!;
}

/**
 * Several views of one model scored from one decode (and, for the Gaussian family, one backbone pass) per batch:
 * `scoreViews` returns one result list per manifest. Each view's map is upsampled to its own input size.
 */
export async function evaluateViewsOnCategory(
  decoder: VisionModel,
  manifests: readonly VisionManifest[],
  scoreViews: (images: readonly FloatImage[]) => Promise<VisionScore[][]>,
  category: MvtecCategory,
  options: { batchSize?: number } = {},
): Promise<CategoryReport[]> {
  const batchSize = options.batchSize ?? 8;
  const scores: number[][] = manifests.map(() => []);
  const maps: Float32Array[][] = manifests.map(() => []);
  for (let start = 0; start < category.test.length; start += batchSize) {
    const batch = category.test.slice(start, start + batchSize);
    const images = await Promise.all(batch.map((s) => decodeForModel(decoder, s.imagePath)));
    const results = await scoreViews(images);
    results.forEach((perImage, v) => {
      for (const r of perImage) {
        scores[v]!.push(r.score);
        maps[v]!.push(r.map);
      }
    });
  }
  const isGood = category.test.map((s) => s.defectType === GOOD);
  const masks = new Map<number, Uint8Array[]>();
  const reports: CategoryReport[] = [];
  for (const [v, manifest] of manifests.entries()) {
    const [h, w] = manifest.inputSize;
    const [mh, mw] = manifest.mapSize;
    if (!masks.has(h * 100_000 + w)) {
      masks.set(
        h * 100_000 + w,
        await Promise.all(category.test.map(async (s) => (s.maskPath ? (await decodeMask(s.maskPath, [h, w])).data : new Uint8Array(h * w)))),
      );
    }
    const viewMasks = masks.get(h * 100_000 + w)!;
    // Bilinear upsampling never exceeds the grid's maximum, so the grid maps bound the pixel scores.
    const pixel = new BinnedRocAuc(0, Math.max(0, ...maps[v]!.map((m) => m.reduce((a, b) => Math.max(a, b), 0))));
    maps[v]!.forEach((map, i) => pixel.add(upsampleBilinear(map, mh, mw, h, w), viewMasks[i]!));
    const viewScores = scores[v]!;
    const perType: Record<string, number> = {};
    for (const type of category.defectTypes) {
      const picked = category.test.flatMap((s, i) => (s.defectType === type || isGood[i] ? [i] : []));
      perType[type] = rocAuc(
        picked.map((i) => viewScores[i]!),
        picked.map((i) => (isGood[i] ? 0 : 1)),
      );
    }
    reports.push({
      image: {
        all: rocAuc(
          viewScores,
          isGood.map((g) => (g ? 0 : 1)),
        ),
        perType,
      },
      pixel: pixel.value(),
      images: category.test.map((s, i) => ({ file: s.imagePath, defectType: s.defectType, score: viewScores[i]! })),
    });
  }
  return reports;
}
