/**
 * Seeded split of train/good into images the model fits on and held-out images the threshold is calibrated on.
 * The split depends only on file names and the seed, so it is the same on every machine and every run.
 */
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { MvtecSample } from '@vigil/datasets';

export function splitGood(samples: readonly MvtecSample[], calibrationFraction: number, seed = 0): { fit: MvtecSample[]; calibration: MvtecSample[] } {
  const keyed = samples.map((sample) => ({
    sample,
    key: createHash('sha1')
      .update(`${seed}:${path.basename(sample.imagePath)}`)
      .digest()
      .readUInt32BE(0),
  }));
  keyed.sort((a, b) => a.key - b.key);
  const calibrationCount = Math.max(1, Math.round(samples.length * calibrationFraction));
  const byName = (a: MvtecSample, b: MvtecSample) => a.imagePath.localeCompare(b.imagePath);
  return {
    calibration: keyed
      .slice(0, calibrationCount)
      .map((k) => k.sample)
      .sort(byName),
    fit: keyed
      .slice(calibrationCount)
      .map((k) => k.sample)
      .sort(byName),
  };
}
