import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImage, IMAGENET_NORMALISATION, listMvtecCategory, resolveDataDir } from '@vigil/datasets';
import { normaliseImage, syntheticValidationSet } from './validation-set';

const MTD = path.join(resolveDataDir(), 'mtd', 'magnetic_tile');

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

  it('normalises like the decoder does', async () => {
    const file = heldOut[0]!.imagePath;
    const raw = await decodeImage(file, { size: [32, 32], channels: 3 });
    const direct = await decodeImage(file, { size: [32, 32], channels: 3, normalise: IMAGENET_NORMALISATION });
    const ours = normaliseImage(raw, IMAGENET_NORMALISATION).data;
    expect(Math.max(...ours.map((v, i) => Math.abs(v - direct.data[i]!)))).toBeLessThan(1e-6);
  });
});
