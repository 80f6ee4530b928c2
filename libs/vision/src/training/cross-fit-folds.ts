/**
 * K-fold cross-fitting of train/good: every image lands in exactly one fold (seeded by file name, like good-split),
 * the model of fold k is fitted on the other folds and scores fold k. The out-of-fold scores of all images are then
 * honest held-out scores (the threshold, calibration-scores.json, the clean half of the validation set), while the
 * served model is fitted on every image.
 *
 * @example
 *   const folds = assignFolds(category.train, 5);          // fold per image, input order
 *   const { fit, heldOut } = foldMembers(folds, 2);         // image indices
 */
import type { MvtecSample } from '@vigil/datasets';
import { seededOrder } from './good-split';

export const DEFAULT_FOLDS = 5;

/**
 * The fold (0..folds−1) of each sample, in input order: rank r in the seeded order goes to fold r mod `folds`, so
 * fold sizes differ by at most one and the assignment does not depend on the order the files were listed in.
 */
export function assignFolds(samples: readonly Pick<MvtecSample, 'imagePath'>[], folds = DEFAULT_FOLDS, seed = 0): number[] {
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`cross-fitting needs at least 2 folds (got ${folds})`);
  if (samples.length < folds) throw new Error(`${samples.length} images cannot fill ${folds} folds`);
  const fold = new Array<number>(samples.length);
  seededOrder(samples, seed).forEach((i, rank) => (fold[i] = rank % folds));
  return fold;
}

/** Image indices fitted on (every other fold) and held out (fold `k`), ascending. */
export function foldMembers(folds: readonly number[], k: number): { fit: number[]; heldOut: number[] } {
  const fit: number[] = [];
  const heldOut: number[] = [];
  folds.forEach((f, i) => (f === k ? heldOut : fit).push(i));
  return { fit, heldOut };
}

export function foldCount(folds: readonly number[]): number {
  return Math.max(...folds) + 1;
}
