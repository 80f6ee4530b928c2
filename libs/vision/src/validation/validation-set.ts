/**
 * The validation set knobs are chosen on, built from held-out train/good images only: a seeded half of them stays
 * clean (label 0), the other half each receive one synthetic crack, blowhole and break (label 1, see
 * synthetic-defects), so the test split is never looked at before the one final evaluation.
 *
 * @example
 *   const validation = syntheticValidationSet(calibration, [320, 320]);
 *   for await (const { images, labels } of validation.batches()) ...
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { decodeImage, type FloatImage, IMAGENET_NORMALISATION, type MvtecSample, type Normalisation } from '@vigil/datasets';
import { splitGood } from '../training/good-split';
import { pasteSyntheticDefect, SYNTHETIC_DEFECT_KINDS } from './synthetic-defects';

export interface SyntheticValidationSet {
  clean: MvtecSample[];
  hosts: MvtecSample[];
  /** clean.length negatives + hosts.length × 3 positives, in batches of `batchSize`. */
  batches: () => AsyncGenerator<{ images: FloatImage[]; labels: number[] }>;
}

export function syntheticValidationSet(heldOut: readonly MvtecSample[], size: readonly [number, number], seed = 0, batchSize = 8): SyntheticValidationSet {
  const { fit: clean, calibration: hosts } = splitGood(heldOut, 0.5, seed + 1);
  async function* batches(): AsyncGenerator<{ images: FloatImage[]; labels: number[] }> {
    let images: FloatImage[] = [];
    let labels: number[] = [];
    const push = async (image: FloatImage, label: number) => {
      images.push(normaliseImage(image, IMAGENET_NORMALISATION));
      labels.push(label);
    };
    const flush = function* () {
      if (images.length >= batchSize) {
        yield { images, labels };
        images = [];
        labels = [];
      }
    };
    for (const sample of clean) {
      await push(await decodeImage(sample.imagePath, { size, channels: 3 }), 0);
      yield* flush();
    }
    for (const sample of hosts) {
      const raw = await decodeImage(sample.imagePath, { size, channels: 3 });
      for (const kind of SYNTHETIC_DEFECT_KINDS) {
        await push(pasteSyntheticDefect(raw, kind, defectSeed(sample.imagePath, kind, seed)).image, 1);
        yield* flush();
      }
    }
    if (images.length > 0) yield { images, labels };
  }
  return { clean, hosts, batches };
}

/** The seed of one host image's defect: from its file name, the kind and the set's seed (the same on every machine). */
export function defectSeed(file: string, kind: string, seed: number): number {
  return createHash('sha1')
    .update(`${seed}:${kind}:${path.basename(file)}`)
    .digest()
    .readUInt32BE(0);
}

/** [0, 1] channels-last values → (v − mean) / std per channel, as decodeImage's `normalise` does. */
export function normaliseImage(image: FloatImage, normalisation: Normalisation): FloatImage {
  const { data, channels } = image;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = (data[i]! - (normalisation.mean[i % channels] ?? 0)) / (normalisation.std[i % channels] ?? 1);
  return { ...image, data: out };
}
