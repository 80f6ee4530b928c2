/**
 * The validation sets knobs are chosen on, built from train/good images only, so the test split is never looked at
 * before the one final evaluation (synthetic defects: see synthetic-defects).
 * - Cross-fitted (what training uses): every train/good image is a clean negative, scored out of fold, and hosts one
 *   synthetic defect, scored by the same fold model (`crossFitDefects`, `defectImageBatches`).
 * - Held out (`syntheticValidationSet`, the knob table in eval/knobs.eval.ts): a seeded half of the held-out images
 *   stays clean (label 0), the other half each receive one synthetic crack, blowhole and break (label 1).
 *
 * @example
 *   const defects = crossFitDefects(category.train);          // one kind and seed per image
 *   for await (const images of defectImageBatches(category.train, defects, [320, 320])) ...
 *   const validation = syntheticValidationSet(calibration, [320, 320]);
 *   for await (const { images, labels } of validation.batches()) ...
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { decodeImage, type FloatImage, type MvtecSample } from '@vigil/datasets';
import { seededOrder, splitGood } from '../training/good-split';
import { pasteSyntheticDefect, SYNTHETIC_DEFECT_KINDS, type SyntheticDefectKind } from './synthetic-defects';

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
      images.push(image);
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

export interface HostedDefect {
  kind: SyntheticDefectKind;
  seed: number;
}

/**
 * One synthetic defect per image, in input order: the kinds take turns along the seeded order (each kind on a third
 * of the images; with the folds' seed, rank r is in fold r mod K and hosts kind r mod 3, so every fold holds the three
 * kinds evenly), each defect seeded by its file name and kind.
 */
export function crossFitDefects(samples: readonly MvtecSample[], seed = 0): HostedDefect[] {
  const out = new Array<HostedDefect>(samples.length);
  seededOrder(samples, seed).forEach((i, rank) => {
    const kind = SYNTHETIC_DEFECT_KINDS[rank % SYNTHETIC_DEFECT_KINDS.length]!;
    out[i] = { kind, seed: defectSeed(samples[i]!.imagePath, kind, seed) };
  });
  return out;
}

/** `samples[i]` with `defects[i]` pasted, decoded at `size` (0..1, like the fit images), in input order. */
export async function* defectImageBatches(
  samples: readonly MvtecSample[],
  defects: readonly HostedDefect[],
  size: readonly [number, number],
  batchSize = 8,
): AsyncGenerator<FloatImage[]> {
  let images: FloatImage[] = [];
  for (const [i, sample] of samples.entries()) {
    const raw = await decodeImage(sample.imagePath, { size, channels: 3 });
    images.push(pasteSyntheticDefect(raw, defects[i]!.kind, defects[i]!.seed).image);
    if (images.length >= batchSize) {
      yield images;
      images = [];
    }
  }
  if (images.length > 0) yield images;
}

/** The seed of one host image's defect: from its file name, the kind and the set's seed (the same on every machine). */
export function defectSeed(file: string, kind: string, seed: number): number {
  return createHash('sha1')
    .update(`${seed}:${kind}:${path.basename(file)}`)
    .digest()
    .readUInt32BE(0);
}
