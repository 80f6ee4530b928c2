/**
 * Cross-fitted maps of the Gaussian heads and feature VAEs: for each fold, a model fitted on the other folds' images
 * (its own principal axes, means, covariances and VAE: nothing leaks from the held-out fold) maps the fold's own
 * images, clean and with a synthetic defect. Every image thus gets maps from a model that never saw it: the
 * calibration scores, the clean half of the validation set and the normalisers of the model then fitted on all images.
 *
 * @example
 *   const stage = await crossFitGaussians(features, [0, 1], { keep: true, log }); // distance maps per pool radius
 *   const vae = await crossFitFeatureVaes(features, stage.gaussians.map((f) => f.map((r) => r[0]!)), FEATURE_VAE_DEFAULTS, log);
 */
import { OnnxInferenceSession } from '@vigil/ml';
import { featureVaeWeights, disposeFeatureVae } from '../models/feature-vae/feature-vae';
import { type PositionGaussian, fitPositionStatistics, whitenGaussian } from '../models/gaussian/gaussian-fit';
import { buildGaussianHead, HEAD_OUTPUT, HEAD_VAE } from '../models/gaussian/gaussian-head.onnx-graph';
import { type FeatureVaeSettings, type GaussianSettings, gridOf, headMaps, trainScaleVae } from '../models/gaussian/gaussian-model';
import { foldCount, foldMembers } from './cross-fit-folds';

export interface CrossFitFeatures {
  settings: GaussianSettings;
  /** `[scale][row]`: the grids models are fitted on (flip variants included). */
  fitRows: Float32Array[][];
  /** The image (index into `folds`) each fit row comes from: a held-out image's flip variants are held out with it. */
  rowImage: readonly number[];
  /** `[scale][image]`: the grids scored out of fold (the images as they are). */
  clean: Float32Array[][];
  /** `[scale][image]`: each image with a synthetic defect (the validation positives); empty lists when there are none. */
  defect: Float32Array[][];
  /** Fold of each image. */
  folds: readonly number[];
}

/** Raw (unnormalised) maps, `[scale][image]`, each from the model of the fold that held the image out. */
export interface OutOfFoldMaps {
  clean: Float32Array[][];
  defect: Float32Array[][];
}

export interface CrossFitGaussians {
  /** `[fold][scale][radius candidate]`: the fold models, for the VAE stage once a radius is chosen (empty unless `keep`). */
  gaussians: PositionGaussian[][][];
  /** One per radius candidate: the Gaussian distance maps. */
  distance: OutOfFoldMaps[];
}

/**
 * Fits each fold's Gaussian once per size, whitens it once per pool radius, and maps the held-out fold with each;
 * `keep` returns the fold Gaussians too (up to 164 MB each per position at 40×40, so only when a VAE stage follows).
 */
export async function crossFitGaussians(
  features: CrossFitFeatures,
  radii: readonly number[],
  options: { keep?: boolean; log?: (line: string) => void } = {},
): Promise<CrossFitGaussians> {
  const { log } = options;
  const { settings } = features;
  const distance = radii.map(() => emptyMaps(features));
  const gaussians: PositionGaussian[][][] = [];
  for (let k = 0; k < foldCount(features.folds); k++) {
    const { fit, heldOut } = foldRows(features, k);
    const perScale: PositionGaussian[][] = [];
    for (const [s, size] of settings.sizes.entries()) {
      const grid = gridOf(size);
      const stats = fitPositionStatistics(
        fit.map((r) => features.fitRows[s]![r]!),
        ...grid,
        settings.dims,
      );
      const variants = radii.map((radius) => whitenGaussian(stats, settings.ridge, { share: settings.share, radius }));
      for (const [v, gaussian] of variants.entries()) await mapHeldOut(buildGaussianHead(gaussian, ...grid), HEAD_OUTPUT, features, s, heldOut, distance[v]!);
      if (options.keep) perScale.push(variants);
    }
    if (options.keep) gaussians.push(perScale);
    log?.(`cross-fit fold ${k + 1}/${foldCount(features.folds)}: Gaussian fitted on ${fit.length} grids, ${heldOut.length} held-out images mapped`);
  }
  return { gaussians, distance };
}

/** Each fold's feature VAE on the residuals of its Gaussian (`gaussians[fold][scale]`), mapping the held-out fold. */
export async function crossFitFeatureVaes(
  features: CrossFitFeatures,
  gaussians: readonly (readonly PositionGaussian[])[],
  settings: FeatureVaeSettings,
  log?: (line: string) => void,
): Promise<OutOfFoldMaps> {
  const maps = emptyMaps(features);
  for (let k = 0; k < foldCount(features.folds); k++) {
    const { fit, heldOut } = foldRows(features, k);
    for (const [s, size] of features.settings.sizes.entries()) {
      const grid = gridOf(size);
      const gaussian = gaussians[k]![s]!;
      const vae = await trainScaleVae(
        gaussian,
        fit.map((r) => features.fitRows[s]![r]!),
        grid,
        settings,
        s,
        log,
      );
      try {
        await mapHeldOut(buildGaussianHead(gaussian, ...grid, { vae: featureVaeWeights(vae, grid, settings.beta) }), HEAD_VAE, features, s, heldOut, maps);
      } finally {
        disposeFeatureVae(vae);
      }
    }
    log?.(`cross-fit fold ${k + 1}/${foldCount(features.folds)}: feature VAE trained, ${heldOut.length} held-out images mapped`);
  }
  return maps;
}

/** Fit rows of every other fold, and the images of fold `k`. */
function foldRows(features: CrossFitFeatures, k: number): { fit: number[]; heldOut: number[] } {
  const { heldOut } = foldMembers(features.folds, k);
  const fit = features.rowImage.flatMap((image, r) => (features.folds[image] === k ? [] : [r]));
  return { fit, heldOut };
}

function emptyMaps(features: CrossFitFeatures): OutOfFoldMaps {
  return {
    clean: features.clean.map((rows) => new Array<Float32Array>(rows.length)),
    defect: features.defect.map((rows) => new Array<Float32Array>(rows.length)),
  };
}

async function mapHeldOut(
  head: Uint8Array,
  output: string,
  features: CrossFitFeatures,
  s: number,
  heldOut: readonly number[],
  into: OutOfFoldMaps,
): Promise<void> {
  const session = await OnnxInferenceSession.create(head);
  try {
    const grid = gridOf(features.settings.sizes[s]!);
    for (const part of ['clean', 'defect'] as const) {
      if ((features[part][s] ?? []).length === 0) continue;
      const [maps] = await headMaps(
        session,
        heldOut.map((i) => features[part][s]![i]!),
        grid,
        [output],
      );
      heldOut.forEach((i, k) => (into[part][s]![i] = maps![k]!));
    }
  } finally {
    await session.dispose();
  }
}
