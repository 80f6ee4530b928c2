/**
 * Training orchestration for an MVTec-layout category. Gaussian and feature-VAE models are cross-fitted: train/good is
 * cut into K seeded folds, each fold's images are mapped by a model fitted on the other folds (cross-fit), and those
 * out-of-fold maps — of the clean images and of copies with one synthetic defect each — choose the pool radius, the
 * view that serves, σ and the image score; the served model is then fitted on every image, its normalisers are the
 * out-of-fold map means and its threshold the 0.99 quantile of the out-of-fold image scores, which also go beside it as
 * calibration-scores.json (the detector's per-device thresholds start there). Out-of-fold scores come from models
 * fitted on (K − 1)/K of the images, so they run a little higher than the served model's on new good images: the
 * threshold errs on the conservative side. The conv VAE keeps a plain seeded held-out split.
 *
 * @example
 *   const { model, calibrationScores, calibrationSource } = await trainCalibratedVisionModel({ dataDir, kind: 'gaussian', cacheDir, log: console.log });
 *   await model.save('models/mtd-feature-vae');
 *   await writeCalibrationScores('models/mtd-feature-vae', calibrationScores, calibrationSource); // @vigil/ml
 */
import * as path from 'node:path';
import { type FloatImage, listMvtecCategory, type MvtecSample } from '@vigil/datasets';
import { decodeImage } from '@vigil/datasets';
import { quantile } from '@vigil/features';
import { rocAuc } from '@vigil/ml';
import { flipHorizontal, flipVertical } from '../augmentation/image-augmentation';
import { requireBackbone } from '../backbone/backbone-files';
import { FeatureBackbone } from '../backbone/feature-backbone';
import { decodeForBackbone } from '../features/backbone-input';
import { calibrateThreshold, DEFAULT_GOOD_QUANTILE } from '../evaluation/threshold';
import { scoreSamples } from '../evaluation/mvtec-evaluation';
import { smoothMap, topKMean } from '../maps/anomaly-map';
import { trainConvVaeModel } from '../models/conv-vae/conv-vae.model';
import {
  checkedSettings,
  extractFeatureRows,
  FEATURE_VAE_DEFAULTS,
  type FeatureVaeSettings,
  fitGaussianVisionModel,
  fuseScaleMaps,
  GAUSSIAN_DEFAULTS,
  type GaussianSettings,
  type GaussianVisionModel,
  gridOf,
  validationAuc,
} from '../models/gaussian/gaussian-model';
import type { VisionModel, VisionModelKind } from '../models/vision-model';
import { crossFitDefects, defectImageBatches, type HostedDefect } from '../validation/validation-set';
import { type CrossFitFeatures, crossFitFeatureVaes, crossFitGaussians, type OutOfFoldMaps } from './cross-fit';
import { assignFolds, DEFAULT_FOLDS } from './cross-fit-folds';
import { splitGood } from './good-split';

export const VALIDATION_SIGMAS = [0, 1, 2, 3, 4];
/** Share of train/good the conv VAE holds out (seeded by file name) for its threshold. */
export const DEFAULT_CALIBRATION_FRACTION = 0.16;

export interface TrainVisionOptions {
  dataDir: string;
  kind: VisionModelKind;
  cacheDir: string;
  /** Conv VAE input size (the Gaussian's sizes are in `gaussian.sizes`). */
  inputSize?: [number, number];
  /** Flip variants added to the fit set (1 = none, 2 = + left–right, 4 = + up–down and both); held out with their image. */
  flipVariants?: 1 | 2 | 4;
  /** Cross-fitting folds of train/good (Gaussian and feature VAE; default 5), seeded by file name with `foldSeed`. */
  folds?: number;
  foldSeed?: number;
  /** The conv VAE's held-out share of train/good. */
  calibrationFraction?: number;
  gaussian?: Partial<GaussianSettings>;
  convVae?: { epochs?: number };
  /** Settings of the feature VAE stage (kind feature-vae). */
  featureVae?: Partial<FeatureVaeSettings>;
  /**
   * Candidates chosen on the cross-fitted synthetic validation set (out-of-fold maps of every train/good image vs the
   * same images with one pasted defect each): each size's pool radius, then which view serves (fused model, its
   * Gaussian, one size alone), its σ and its image score (mean of the top k map cells, k = 1: the maximum).
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
  /** Image scores of good images the scoring model never fitted on, in file-name order: calibration-scores.json. */
  calibrationScores: number[];
  /** Where those scores come from, in words (calibration-scores.json's `source`). */
  calibrationSource: string;
}

export async function trainVisionModel(options: TrainVisionOptions): Promise<VisionModel> {
  return (await trainCalibratedVisionModel(options)).model;
}

export async function trainCalibratedVisionModel(options: TrainVisionOptions): Promise<CalibratedVisionModel> {
  if (options.kind === 'conv-vae') return trainConvVaeOnCategory(options);
  const log = options.log ?? (() => undefined);
  const settings = checkedSettings({ ...GAUSSIAN_DEFAULTS, ...options.gaussian });
  const good = listMvtecCategory(options.dataDir).train;
  const foldSeed = options.foldSeed ?? 0;
  const folds = assignFolds(good, options.folds ?? DEFAULT_FOLDS, foldSeed);
  const k = Math.max(...folds) + 1;
  const variants = FLIPS.slice(0, options.flipVariants ?? 1);
  const defects = crossFitDefects(good, foldSeed);
  log(
    `${k}-fold cross-fit of ${good.length} good images × ${variants.length} flip variants at ${settings.sizes.join(' + ')} px; validation: ${good.length} out-of-fold clean images vs the same images with one synthetic defect each (${countKinds(defects)})`,
  );
  const started = Date.now();
  const features = await extractCrossFitFeatures(options, settings, good, folds, variants, defects);
  log(
    `backbone features of ${good.length} × ${variants.length} fit and ${good.length} synthetic-defect images in ${((Date.now() - started) / 1000).toFixed(0)} s (held in memory for the ${k + 1} fits)`,
  );

  // Stage 1: each size's pool radius, on the Gaussian distance maps (best over σ of the maximum's ROC-AUC).
  const radiusCandidates = options.validation?.poolRadii ?? [settings.poolRadius];
  const sigmas = options.validation?.sigmas ?? VALIDATION_SIGMAS;
  const stage = await crossFitGaussians(features, radiusCandidates, { keep: options.kind === 'feature-vae', log });
  const { chosenRadius, poolValidation } = choosePoolRadii(stage.distance, radiusCandidates, settings.sizes, sigmas, log);
  const radii = chosenRadius.map((r) => radiusCandidates[r]!);
  const outOfFold: ViewMaps = {
    distance: {
      clean: settings.sizes.map((_, s) => stage.distance[chosenRadius[s]!]!.clean[s]!),
      defect: settings.sizes.map((_, s) => stage.distance[chosenRadius[s]!]!.defect[s]!),
    },
  };
  // Stage 2: the feature VAE of each fold on its chosen Gaussian's residuals.
  if (options.kind === 'feature-vae') {
    const vaeSettings = { ...FEATURE_VAE_DEFAULTS, ...options.featureVae };
    outOfFold.vae = await crossFitFeatureVaes(
      features,
      stage.gaussians.map((perScale) => perScale.map((variants, s) => variants[chosenRadius[s]!]!)),
      vaeSettings,
      log,
    );
  }
  stage.gaussians.length = 0;
  features.defect = [];

  // The served model: every image, the chosen radii; normalised by the out-of-fold map means (what held-out images give).
  const model = await fitGaussianVisionModel({
    cacheDir: options.cacheDir,
    data: path.resolve(options.dataDir),
    settings,
    rows: features.fitRows,
    radii,
    poolValidation,
    ...(options.kind === 'feature-vae' ? { featureVae: options.featureVae ?? {} } : {}),
    ...(options.threads ? { threads: options.threads } : {}),
    log,
  });
  const gaussianNormalisers = outOfFold.distance.clean.map(meanOfMaps);
  const normalised = model.withNormalisers(outOfFold.vae ? outOfFold.vae.clean.map(meanOfMaps) : gaussianNormalisers, gaussianNormalisers);
  const { model: chosen, outOfFoldScores } = chooseOnValidation(normalised, outOfFold, sigmas, options.validation?.topKs ?? [1], options.serve ?? 'best', log);
  const { threshold } = calibrateThreshold(outOfFoldScores);
  const rule = `quantile ${DEFAULT_GOOD_QUANTILE} of ${good.length} out-of-fold good images (${k}-fold cross-fit)`;
  const inSample = await scoreFeatureRows(chosen, features.clean);
  const crossFit = {
    folds: k,
    seed: foldSeed,
    foldFitImages: Array.from({ length: k }, (_, f) => folds.filter((x) => x !== f).length),
    outOfFoldQuantile: threshold,
    inSampleQuantile: quantile(inSample, DEFAULT_GOOD_QUANTILE),
    note: 'out-of-fold scores come from models fitted on (K − 1)/K of the images, so the threshold is slightly conservative',
  };
  log(
    `threshold ${threshold.toFixed(3)} (${rule}); the served model's own (in-sample) scores of the same images: quantile ${DEFAULT_GOOD_QUANTILE} ${crossFit.inSampleQuantile.toFixed(3)}, below the out-of-fold score for ${inSample.filter((v, i) => v < outOfFoldScores[i]!).length} of ${good.length}`,
  );
  const calibrated = chosen.withThreshold(threshold, rule).withSettings({ crossFit });
  calibrated.manifest.trainedOn.calibrationImages = good.length;
  log(`normalisers ${calibrated.scales.map((s) => `${s.size}px ${s.normaliser.toFixed(3)}`).join(', ')}`);
  return {
    model: calibrated,
    calibrationScores: outOfFoldScores,
    calibrationSource: `${good.length} good images of ${path.basename(path.resolve(options.dataDir))}/train/good, each scored by the model of the ${k}-fold cross-fit that never fitted on it`,
  };
}

/** Backbone features of every fit image (flip variants included) and of its synthetic-defect copy, run once. */
async function extractCrossFitFeatures(
  options: TrainVisionOptions,
  settings: GaussianSettings,
  good: readonly MvtecSample[],
  folds: readonly number[],
  variants: typeof FLIPS,
  defects: readonly HostedDefect[],
): Promise<CrossFitFeatures> {
  const largest = Math.max(...settings.sizes);
  const backbone = await FeatureBackbone.load(requireBackbone(options.cacheDir), options.threads ? { threads: options.threads } : {});
  try {
    const fitRows = await extractFeatureRows(backbone, settings.sizes, augmentedBatches(good, [largest, largest], variants, 8));
    const defect = await extractFeatureRows(backbone, settings.sizes, defectImageBatches(good, defects, [largest, largest]));
    return {
      settings,
      fitRows,
      rowImage: good.flatMap((_, i) => variants.map(() => i)),
      clean: fitRows.map((rows) => good.map((_, i) => rows[i * variants.length]!)),
      defect,
      folds,
    };
  } finally {
    await backbone.dispose();
  }
}

/**
 * Each size's pool radius (index into `candidates`): the best out-of-fold ROC-AUC of the Gaussian's maximum over σ,
 * ties to the earlier candidate; with one candidate there is nothing to choose and no table.
 */
function choosePoolRadii(
  distance: readonly OutOfFoldMaps[],
  candidates: readonly number[],
  sizes: readonly number[],
  sigmas: readonly number[],
  log: (line: string) => void,
): { chosenRadius: number[]; poolValidation: Record<string, unknown>[] } {
  const poolValidation: Record<string, unknown>[] = [];
  const chosenRadius = sizes.map((size, s) => {
    if (candidates.length === 1) return 0;
    const images = distance[0]!.clean[s]!.length;
    const labels = [...Array.from({ length: images }, () => 0), ...Array.from({ length: images }, () => 1)];
    const table = candidates.map((radius, r) => ({
      radius,
      auc: sigmas.map((sigma) => validationAuc([...distance[r]!.clean[s]!, ...distance[r]!.defect[s]!], labels, gridOf(size), sigma)),
    }));
    const best = table.reduce((a, b) => (Math.max(...b.auc) > Math.max(...a.auc) ? b : a));
    poolValidation.push({ size, sigmas, gaussianAucByPoolRadius: table, chosenPoolRadius: best.radius, on: 'out-of-fold' });
    log(
      `${size}px out-of-fold validation ROC-AUC of the Gaussian by pool radius (σ ${sigmas.join('/')}): ${table.map((t) => `r ${t.radius}: ${t.auc.map((a) => a.toFixed(4)).join('/')}`).join('; ')} → radius ${best.radius}`,
    );
    return candidates.indexOf(best.radius);
  });
  return { chosenRadius, poolValidation };
}

/** Out-of-fold raw maps of the Gaussian distance and, for kind feature-vae, the VAE. */
interface ViewMaps {
  distance: OutOfFoldMaps;
  vae?: OutOfFoldMaps;
}

function meanOfMaps(maps: readonly Float32Array[]): number {
  let sum = 0;
  let cells = 0;
  for (const map of maps) {
    for (const v of map) sum += v;
    cells += map.length;
  }
  return sum / cells;
}

function countKinds(defects: readonly { kind: string }[]): string {
  const counts = new Map<string, number>();
  for (const { kind } of defects) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${n} ${kind}`).join(', ');
}

/** The model's own scores of feature grids `[scale][image]` (in-sample when it was fitted on them). */
async function scoreFeatureRows(model: GaussianVisionModel, rows: readonly (readonly Float32Array[])[]): Promise<number[]> {
  const scores: number[] = [];
  for (let start = 0; start < rows[0]!.length; start += 8) {
    const batch = model.scales.map((scale, s) => {
      const picked = rows[s]!.slice(start, start + 8);
      const data = new Float32Array(picked.length * picked[0]!.length);
      picked.forEach((row, k) => data.set(row, k * row.length));
      return { data, shape: [picked.length, picked[0]!.length / (scale.grid[0] * scale.grid[1]), ...scale.grid] };
    });
    scores.push(...(await model.scoreFeatures(batch)).map((r) => r.score));
  }
  return scores;
}

/**
 * Scores the out-of-fold validation maps with every view of the model (fused, its Gaussian, each size alone) at each
 * σ and each image score (mean of the top k cells; k = 1 is the maximum) and keeps the best image ROC-AUC; ties go to
 * the earlier view (the full model), the smaller σ and k. The table goes into the manifest (settings.validation), so
 * the card can say what was chosen on what; the chosen view's scores of the clean images are the calibration scores.
 */
function chooseOnValidation(
  model: GaussianVisionModel,
  outOfFold: ViewMaps,
  sigmas: readonly number[],
  topKs: readonly number[],
  serve: 'best' | 'own-kind',
  log: (line: string) => void,
): { model: GaussianVisionModel; outOfFoldScores: number[] } {
  const views = model.evaluationViews();
  const sizes = model.scales.map((scale) => scale.size);
  const images = outOfFold.distance.clean[0]!.length;
  const labels = [...Array.from({ length: images }, () => 0), ...Array.from({ length: images }, () => 1)];
  const fused = views.map((view) => {
    const family = view.model.manifest.kind === 'feature-vae' ? outOfFold.vae! : outOfFold.distance;
    const scaleIndex = view.model.scales.map((scale) => sizes.indexOf(scale.size));
    const fuse = (part: Float32Array[][], i: number) =>
      fuseScaleMaps(
        scaleIndex.map((s) => part[s]![i]!),
        view.model.scales,
        view.model.manifest.mapSize,
      );
    return [...Array.from({ length: images }, (_, i) => fuse(family.clean, i)), ...Array.from({ length: images }, (_, i) => fuse(family.defect, i))];
  });
  const smoothedOf = (v: number) => {
    const [h, w] = views[v]!.model.manifest.mapSize;
    return sigmas.map((sigma) => fused[v]!.map((m) => smoothMap(m, h, w, sigma)));
  };
  const table = views.flatMap((view, v) => {
    const smoothed = smoothedOf(v);
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
      `out-of-fold validation ROC-AUC ${row.view}${row.topK > 1 ? ` top-${row.topK} mean` : ' max'}: ${row.auc.map((a, s) => `σ ${sigmas[s]} ${a.toFixed(4)}`).join(', ')}`,
    );
  const sigma = sigmas[best.s]!;
  const chosen = table[best.row]!;
  log(
    `chosen on validation: ${chosen.view} at σ ${sigma}, ${chosen.topK > 1 ? `top-${chosen.topK} mean` : 'max'} (${chosen.auc[best.s]!.toFixed(4)}; ${images} clean, ${images} synthetic defects, all out of fold)`,
  );
  const [h, w] = views[chosen.v]!.model.manifest.mapSize;
  const outOfFoldScores = fused[chosen.v]!.slice(0, images).map((m) => topKMean(smoothMap(m, h, w, sigma), chosen.topK));
  const validation = {
    data: 'train/good, cross-fitted: every image out of fold (clean) vs the same images with one synthetic crack, blowhole or break each, scored by the same fold model (validation-set.ts)',
    clean: images,
    defects: images,
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
  return { model: model.adopt(views[chosen.v]!.model).withSigma(sigma).withTopK(chosen.topK).withValidation(validation), outOfFoldScores };
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
  return {
    model: model.withThreshold(threshold, rule, calibration.length),
    calibrationScores,
    calibrationSource: `${calibration.length} held-out good images of ${path.basename(path.resolve(options.dataDir))}/train/good (never fitted on)`,
  };
}
