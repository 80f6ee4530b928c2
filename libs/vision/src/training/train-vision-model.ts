/**
 * Training orchestration for an MVTec-layout category: seeded fit/calibration split of train/good, augmented
 * batches for the fit, the model's own training, then the threshold from the held-out good images (whose scores
 * also go beside the model as calibration-scores.json, for the detector's per-device thresholds).
 *
 * @example
 *   const { model, calibrationScores } = await trainCalibratedVisionModel({ dataDir, kind: 'gaussian', cacheDir, log: console.log });
 *   await model.save('models/mtd-feature-vae');
 *   await writeCalibrationScores('models/mtd-feature-vae', calibrationScores, 'held-out good images'); // @vigil/ml
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
import { smoothMap, topKMean } from '../maps/anomaly-map';
import type { GaussianVisionModel } from '../models/gaussian/gaussian-model';
import { splitGood } from './good-split';

export const VALIDATION_SIGMAS = [0, 1, 2, 3, 4];
/**
 * Share of train/good held out (seeded by file name): 124 of MTD's 774, so calibration-scores.json carries more than
 * the 100 scores the detector's SPOT thresholds need; half of them also host the synthetic validation defects.
 */
export const DEFAULT_CALIBRATION_FRACTION = 0.16;

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
   * each size's pool radius, then which view serves (fused model, its Gaussian, one size alone), its σ and its
   * image score (mean of the top k map cells, k = 1: the maximum).
   */
  validation?: { poolRadii?: number[]; sigmas?: number[]; topKs?: number[] };
  /**
   * `'best'` (default): the view with the best validation ROC-AUC serves, the feature VAE or its Gaussian.
   * `'own-kind'`: only views of the kind trained compete (to keep a feature VAE that its Gaussian beat, for comparison).
   */
  serve?: 'best' | 'own-kind';
  threads?: number;
  log?: (line: string) => void;
}

const FLIPS: ((image: FloatImage) => FloatImage)[] = [(i) => i, flipHorizontal, flipVertical, (i) => flipVertical(flipHorizontal(i))];

export interface CalibratedVisionModel {
  model: VisionModel;
  /** Image scores of the held-out good images (never fitted on), in file-name order: calibration-scores.json. */
  calibrationScores: number[];
}

export async function trainVisionModel(options: TrainVisionOptions): Promise<VisionModel> {
  return (await trainCalibratedVisionModel(options)).model;
}

export async function trainCalibratedVisionModel(options: TrainVisionOptions): Promise<CalibratedVisionModel> {
  if (options.kind === 'conv-vae') return trainConvVaeOnCategory(options);
  const log = options.log ?? (() => undefined);
  const settings = { ...GAUSSIAN_DEFAULTS, ...options.gaussian };
  const largest = Math.max(...settings.sizes);
  const category = listMvtecCategory(options.dataDir);
  const { fit, calibration } = splitGood(category.train, options.calibrationFraction ?? DEFAULT_CALIBRATION_FRACTION);
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
  const chosen = await chooseOnValidation(normalised, validationSet.batches, sigmas, options.validation?.topKs ?? [1], options.serve ?? 'best', log);
  const calibrationScores = await scoreSamples(chosen, calibration);
  const { threshold, rule } = calibrateThreshold(calibrationScores);
  const calibrated = chosen.withThreshold(threshold, rule);
  calibrated.manifest.trainedOn.calibrationImages = calibration.length;
  log(`normalisers ${calibrated.scales.map((s) => `${s.size}px ${s.normaliser.toFixed(3)}`).join(', ')}; threshold ${threshold.toFixed(3)} (${rule})`);
  return { model: calibrated, calibrationScores };
}

/**
 * Scores the synthetic validation set with every view of the model (fused, its Gaussian, each size alone) at each σ
 * and each image score (mean of the top k cells; k = 1 is the maximum) and keeps the best image ROC-AUC; ties go to
 * the earlier view (the full model), the smaller σ and k. The table goes into the manifest (settings.validation), so
 * the card can say what was chosen on what.
 */
async function chooseOnValidation(
  model: GaussianVisionModel,
  batches: () => AsyncIterable<{ images: FloatImage[]; labels: number[] }>,
  sigmas: readonly number[],
  topKs: readonly number[],
  serve: 'best' | 'own-kind',
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
  const table = views.flatMap((view, v) => {
    const [h, w] = view.model.manifest.mapSize;
    const smoothed = sigmas.map((sigma) => maps[v]!.map((m) => smoothMap(m, h, w, sigma)));
    const name = view.name.trim().replace(/, σ [\d.]+(, top-\d+ mean)?\)$/, ')');
    return topKs.map((topK) => ({
      view: name,
      v,
      kind: view.model.manifest.kind,
      topK,
      auc: smoothed.map((perImage) =>
        rocAuc(
          perImage.map((m) => topKMean(m, topK)),
          labels,
        ),
      ),
    }));
  });
  const best = bestValidationRow(table, serve === 'best' ? undefined : model.manifest.kind);
  for (const row of table)
    log(
      `validation ROC-AUC ${row.view}${row.topK > 1 ? ` top-${row.topK} mean` : ' max'}: ${row.auc.map((a, s) => `σ ${sigmas[s]} ${a.toFixed(4)}`).join(', ')}`,
    );
  const sigma = sigmas[best.s]!;
  const chosen = table[best.row]!;
  log(
    `chosen on validation: ${chosen.view} at σ ${sigma}, ${chosen.topK > 1 ? `top-${chosen.topK} mean` : 'max'} (${chosen.auc[best.s]!.toFixed(4)}; ${labels.filter((l) => l === 0).length} clean, ${labels.filter((l) => l === 1).length} synthetic defects)`,
  );
  const validation = {
    data: 'held-out train/good: clean half vs the other half with synthetic crack, blowhole and break (validation-set.ts)',
    clean: labels.filter((l) => l === 0).length,
    defects: labels.filter((l) => l === 1).length,
    sigmas,
    topKs,
    table: table.map(({ view, topK, auc }) => ({ view, topK, auc })),
    chosen: {
      view: chosen.view,
      sigma,
      topK: chosen.topK,
      auc: chosen.auc[best.s],
      among: serve === 'best' ? 'all views' : `${model.manifest.kind} views only`,
    },
    poolRadius: model.manifest.settings.poolValidation ?? 'fixed',
  };
  return model.adopt(views[chosen.v]!.model).withSigma(sigma).withTopK(chosen.topK).withValidation(validation);
}

/**
 * The row and σ index with the best validation ROC-AUC, among rows of `kind` when given; ties keep the earlier row
 * (the full model before its views) and the smaller σ (rows list σ in ascending order).
 */
export function bestValidationRow(table: readonly { kind: string; auc: readonly number[] }[], kind?: string): { row: number; s: number } {
  let best: { row: number; s: number } | undefined;
  table.forEach((row, r) => {
    if (kind !== undefined && row.kind !== kind) return;
    row.auc.forEach((auc, s) => {
      if (!best || auc > table[best.row]!.auc[best.s]!) best = { row: r, s };
    });
  });
  if (!best) throw new Error(`no validation row of kind ${kind ?? 'any'}`);
  return best;
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
async function trainConvVaeOnCategory(options: TrainVisionOptions): Promise<CalibratedVisionModel> {
  const log = options.log ?? (() => undefined);
  const size = options.inputSize?.[0] ?? 64;
  const category = listMvtecCategory(options.dataDir);
  const { fit, calibration } = splitGood(category.train, options.calibrationFraction ?? DEFAULT_CALIBRATION_FRACTION);
  const pixels = size * size;
  const images = new Float32Array(fit.length * pixels);
  for (const [k, sample] of fit.entries()) images.set((await decodeImage(sample.imagePath, { size: [size, size], channels: 1 })).data, k * pixels);
  log(`conv VAE on ${fit.length} good images at ${size}×${size}; ${calibration.length} held out for the threshold`);
  const model = trainConvVaeModel(images, fit.length, { size, epochs: options.convVae?.epochs ?? 10, data: path.resolve(options.dataDir), log });
  const calibrationScores = await scoreSamples(model, calibration);
  const { threshold, rule } = calibrateThreshold(calibrationScores);
  log(`threshold ${threshold.toFixed(4)} (${rule})`);
  return { model: model.withThreshold(threshold, rule, calibration.length), calibrationScores };
}
