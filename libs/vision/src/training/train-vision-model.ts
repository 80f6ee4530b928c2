/**
 * Training orchestration for an MVTec-layout category: seeded fit/calibration split of train/good, augmented
 * batches for the fit, the model's own training, then the threshold from the held-out good images.
 *
 * @example
 *   const model = await trainVisionModel({ dataDir, kind: 'gaussian', cacheDir, log: console.log });
 *   await model.save('models/mtd-feature-vae');
 */
import * as path from 'node:path';
import { type FloatImage, listMvtecCategory, type MvtecSample } from '@vigil/datasets';
import { flipHorizontal, flipVertical } from '../augmentation/image-augmentation';
import { decodeForBackbone } from '../features/backbone-input';
import { calibrateThreshold } from '../evaluation/threshold';
import { decodeForModel, scoreSamples } from '../evaluation/mvtec-evaluation';
import { type FeatureVaeSettings, GAUSSIAN_DEFAULTS, type GaussianSettings, trainGaussianModel } from '../models/gaussian/gaussian-model';
import { decodeImage } from '@vigil/datasets';
import { trainConvVaeModel } from '../models/conv-vae/conv-vae.model';
import type { VisionModel, VisionModelKind } from '../models/vision-model';
import { syntheticValidationSet } from '../validation/validation-set';
import { rocAuc } from '@vigil/ml';
import { smoothMap, mapMax } from '../maps/anomaly-map';
import type { GaussianVisionModel } from '../models/gaussian/gaussian-model';
import { splitGood } from './good-split';

export const VALIDATION_SIGMAS = [0, 1, 2, 3, 4];

export interface TrainVisionOptions {
  dataDir: string;
  kind: VisionModelKind;
  cacheDir: string;
  /** Conv VAE input size (the Gaussian's sizes are in `gaussian.sizes`). */
  inputSize?: [number, number];
  /** Flip variants added to the fit set (1 = none, 2 = + left–right, 4 = + up–down and both). */
  flipVariants?: 1 | 2 | 4;
  calibrationFraction?: number;
  gaussian?: Partial<GaussianSettings>;
  convVae?: { epochs?: number };
  /** Settings of the feature VAE stage (kind feature-vae). */
  featureVae?: Partial<FeatureVaeSettings>;
  /**
   * Candidates chosen on the synthetic validation set (held-out good + pasted defects, see validation-set):
   * each size's pool radius, then which view serves (fused model, its Gaussian, one size alone) and its σ.
   */
  validation?: { poolRadii?: number[]; sigmas?: number[] };
  threads?: number;
  log?: (line: string) => void;
}

const FLIPS: ((image: FloatImage) => FloatImage)[] = [(i) => i, flipHorizontal, flipVertical, (i) => flipVertical(flipHorizontal(i))];

export async function trainVisionModel(options: TrainVisionOptions): Promise<VisionModel> {
  if (options.kind === 'conv-vae') return trainConvVaeOnCategory(options);
  const log = options.log ?? (() => undefined);
  const settings = { ...GAUSSIAN_DEFAULTS, ...options.gaussian };
  const largest = Math.max(...settings.sizes);
  const category = listMvtecCategory(options.dataDir);
  const { fit, calibration } = splitGood(category.train, options.calibrationFraction ?? 0.1);
  const variants = FLIPS.slice(0, options.flipVariants ?? 1);
  log(
    `fitting on ${fit.length} good images × ${variants.length} flip variants at ${settings.sizes.join(' + ')} px; ${calibration.length} held out for the threshold`,
  );
  const validationSet = syntheticValidationSet(calibration, [largest, largest]);
  const sigmas = options.validation?.sigmas ?? VALIDATION_SIGMAS;
  log(
    `validation: ${validationSet.clean.length} clean held-out good images, ${validationSet.hosts.length} more × 3 synthetic defects (crack, blowhole, break)`,
  );
  const model = await trainGaussianModel({
    cacheDir: options.cacheDir,
    data: path.resolve(options.dataDir),
    settings,
    batches: augmentedBatches(fit, [largest, largest], variants, 8),
    validation: { batches: validationSet.batches, poolRadii: options.validation?.poolRadii ?? [settings.poolRadius ?? 0], sigmas },
    log,
    ...(options.kind === 'feature-vae' ? { featureVae: options.featureVae ?? {} } : {}),
    ...(options.threads ? { threads: options.threads } : {}),
  });
  // Each size's maps are divided by their mean on the held-out good images, so the sizes vote on one scale.
  const sums = model.scales.map(() => 0);
  const gaussianSums = model.scales.map(() => 0);
  let cells = model.scales.map(() => 0);
  for (let start = 0; start < calibration.length; start += 8) {
    const images = await Promise.all(calibration.slice(start, start + 8).map((s) => decodeForModel(model, s.imagePath)));
    const features = await model.features(images);
    const maps = await model.scaleMaps(features);
    const gaussianMaps = options.kind === 'feature-vae' ? await model.scaleMaps(features, true) : maps;
    maps.forEach((map, s) => {
      for (const v of map) sums[s]! += v;
      for (const v of gaussianMaps[s]!) gaussianSums[s]! += v;
    });
    cells = cells.map((c, s) => c + maps[s]!.length);
  }
  const normalised = model.withNormalisers(
    sums.map((sum, s) => sum / cells[s]!),
    gaussianSums.map((sum, s) => sum / cells[s]!),
  );
  const chosen = await chooseOnValidation(normalised, validationSet.batches, sigmas, log);
  const { threshold, rule } = calibrateThreshold(await scoreSamples(chosen, calibration));
  const calibrated = chosen.withThreshold(threshold, rule);
  calibrated.manifest.trainedOn.calibrationImages = calibration.length;
  log(`normalisers ${calibrated.scales.map((s) => `${s.size}px ${s.normaliser.toFixed(3)}`).join(', ')}; threshold ${threshold.toFixed(3)} (${rule})`);
  return calibrated;
}

/**
 * Scores the synthetic validation set with every view of the model (fused, its Gaussian, each size alone) at each σ
 * and keeps the view and σ with the best image ROC-AUC; ties go to the earlier view (the full model). The table goes
 * into the manifest (settings.validation), so the card can say what was chosen on what.
 */
async function chooseOnValidation(
  model: GaussianVisionModel,
  batches: () => AsyncIterable<{ images: FloatImage[]; labels: number[] }>,
  sigmas: readonly number[],
  log: (line: string) => void,
): Promise<GaussianVisionModel> {
  const views = model.evaluationViews();
  const sizes = model.scales.map((scale) => scale.size);
  const maps: Float32Array[][] = views.map(() => []);
  const labels: number[] = [];
  for await (const batch of batches()) {
    const features = await model.features(batch.images);
    for (const [v, view] of views.entries())
      maps[v]!.push(...(await view.model.fusedMaps(view.model.scales.map((scale) => features[sizes.indexOf(scale.size)]!))));
    labels.push(...batch.labels);
  }
  const table = views.map((view, v) => {
    const [h, w] = view.model.manifest.mapSize;
    const auc = sigmas.map((sigma) =>
      rocAuc(
        maps[v]!.map((m) => mapMax(smoothMap(m, h, w, sigma))),
        labels,
      ),
    );
    return { view: view.name.trim().replace(/, σ [\d.]+\)$/, ')'), auc };
  });
  let best = { v: 0, s: 0 };
  table.forEach((row, v) => row.auc.forEach((auc, s) => auc > table[best.v]!.auc[best.s]! && (best = { v, s })));
  for (const row of table) log(`validation ROC-AUC ${row.view}: ${row.auc.map((a, s) => `σ ${sigmas[s]} ${a.toFixed(4)}`).join(', ')}`);
  const sigma = sigmas[best.s]!;
  log(
    `chosen on validation: ${table[best.v]!.view} at σ ${sigma} (${table[best.v]!.auc[best.s]!.toFixed(4)}; ${labels.filter((l) => l === 0).length} clean, ${labels.filter((l) => l === 1).length} synthetic defects)`,
  );
  const validation = {
    data: 'held-out train/good: clean half vs the other half with synthetic crack, blowhole and break (validation-set.ts)',
    clean: labels.filter((l) => l === 0).length,
    defects: labels.filter((l) => l === 1).length,
    sigmas,
    table,
    chosen: { view: table[best.v]!.view, sigma, auc: table[best.v]!.auc[best.s] },
    poolRadius: model.manifest.settings.poolValidation ?? 'fixed',
  };
  return model.adopt(views[best.v]!.model).withSigma(sigma).withValidation(validation);
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
