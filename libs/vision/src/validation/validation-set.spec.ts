import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImage, listMvtecCategory, resolveDataDir } from '@vigil/datasets';
import { assignFolds } from '../training/cross-fit-folds';
import { crossFitDefects, defectImageBatches, syntheticValidationSet } from './validation-set';

const MTD = path.join(resolveDataDir(), 'mtd', 'magnetic_tile');

describe('crossFitDefects', () => {
  const samples = Array.from({ length: 60 }, (_, i) => ({ imagePath: `/data/train/good/${String(i).padStart(3, '0')}.png`, defectType: 'good' }));

  it('gives each image one defect, the three kinds evenly over the images and over every fold, the same on every call', () => {
    const defects = crossFitDefects(samples);
    const folds = assignFolds(samples, 5);
    expect(defects).toHaveLength(60);
    for (const kind of ['crack', 'blowhole', 'break']) {
      expect(defects.filter((d) => d.kind === kind)).toHaveLength(20);
      for (let k = 0; k < 5; k++) expect(defects.filter((d, i) => d.kind === kind && folds[i] === k)).toHaveLength(4);
    }
    expect(crossFitDefects([...samples].reverse()).reverse()).toEqual(defects);
    expect(new Set(defects.map((d) => d.seed)).size).toBe(60);
    expect(crossFitDefects(samples, 1)).not.toEqual(defects);
  });
});

describe.skipIf(!existsSync(MTD))('syntheticValidationSet (real MTD train/good files)', () => {
  const heldOut = listMvtecCategory(MTD).train.slice(0, 9);

  it('keeps clean and host images apart, labels 1 clean : 3 defects per host, and repeats itself exactly', async () => {
    const set = syntheticValidationSet(heldOut, [64, 64], 0, 4);
    expect(set.clean.length + set.hosts.length).toBe(heldOut.length);
    expect(set.clean.some((s) => set.hosts.includes(s))).toBe(false);
    const pass = async () => {
      const labels: number[] = [];
      const pixels: number[] = [];
      for await (const batch of set.batches()) {
        labels.push(...batch.labels);
        for (const image of batch.images) pixels.push(image.data[1000]!, image.data[2000]!);
      }
      return { labels, pixels };
    };
    const [a, b] = [await pass(), await pass()];
    expect(a.labels.filter((l) => l === 0)).toHaveLength(set.clean.length);
    expect(a.labels.filter((l) => l === 1)).toHaveLength(3 * set.hosts.length);
    expect(b).toEqual(a);
  });

  it('pastes one defect per image, in input order, normalised like the fit images', async () => {
    const samples = heldOut.slice(0, 3);
    const defects = crossFitDefects(samples);
    const images = [];
    for await (const batch of defectImageBatches(samples, defects, [64, 64], 2)) images.push(...batch);
    expect(images).toHaveLength(3);
    const clean = await decodeImage(samples[1]!.imagePath, { size: [64, 64], channels: 3 });
    const changed = images[1]!.data.filter((v, i) => Math.abs(v - clean.data[i]!) > 1e-4).length;
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThan(clean.data.length / 2);
  });
});
