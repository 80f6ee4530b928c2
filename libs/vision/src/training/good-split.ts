/**
 * Seeded orders of train/good: a split into images the model fits on and held-out images (the conv VAE's threshold),
 * and K cross-fitting folds (cross-fit-folds). Both depend only on file names and the seed, so they are the same on
 * every machine and every run.
 */
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { MvtecSample } from '@vigil/datasets';

/** Indices of `samples` ordered by a hash of (seed, file name): a shuffle that ignores the input order. */
export function seededOrder(samples: readonly Pick<MvtecSample, 'imagePath'>[], seed = 0): number[] {
  const keys = samples.map((sample) =>
    createHash('sha1')
      .update(`${seed}:${path.basename(sample.imagePath)}`)
      .digest()
      .readUInt32BE(0),
  );
  return samples.map((_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);
}

export function splitGood(samples: readonly MvtecSample[], calibrationFraction: number, seed = 0): { fit: MvtecSample[]; calibration: MvtecSample[] } {
  const order = seededOrder(samples, seed).map((i) => samples[i]!);
  const calibrationCount = Math.max(1, Math.round(samples.length * calibrationFraction));
  const byName = (a: MvtecSample, b: MvtecSample) => a.imagePath.localeCompare(b.imagePath);
  return {
    calibration: order.slice(0, calibrationCount).sort(byName),
    fit: order.slice(calibrationCount).sort(byName),
  };
}
