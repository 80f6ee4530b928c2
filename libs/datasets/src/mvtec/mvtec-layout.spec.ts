import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasDataDir, resolveDataDir } from '../data-dir';
import { decodeImage, decodeMask, IMAGENET_NORMALISATION, imageSize } from './image-decoder';
import { listMvtecCategory, MvtecLayoutError } from './mvtec-layout';

const MTD = 'mtd/magnetic_tile';

describe.skipIf(!hasDataDir(MTD))('MVTec layout on the real MTD files', () => {
  // A skipped describe still runs its body: list the files only when the data is there.
  const category = hasDataDir(MTD)
    ? listMvtecCategory(path.join(resolveDataDir(), MTD))
    : ({ train: [], test: [], defectTypes: [] } as unknown as ReturnType<typeof listMvtecCategory>);

  it('lists the README counts and pairs every defect image with its mask', () => {
    expect(category.train).toHaveLength(774);
    expect(category.defectTypes).toEqual(['blowhole', 'break', 'crack']);
    const count = (type: string) => category.test.filter((s) => s.defectType === type).length;
    expect([count('good'), count('blowhole'), count('break'), count('crack')]).toEqual([178, 115, 85, 57]);
    expect(category.test.filter((s) => s.defectType !== 'good').every((s) => s.maskPath !== undefined)).toBe(true);
  });

  it('decodes a JPEG and its PNG mask to the same size, with a non-empty defect region', async () => {
    const sample = category.test.find((s) => s.defectType === 'blowhole')!;
    const size = await imageSize(sample.imagePath);
    const grey = await decodeImage(sample.imagePath, { channels: 1 });
    const mask = await decodeMask(sample.maskPath!);
    expect([grey.height, grey.width]).toEqual([size.height, size.width]);
    expect([mask.height, mask.width]).toEqual([size.height, size.width]);
    const defectPixels = mask.data.reduce((a, b) => a + b, 0);
    expect(defectPixels).toBeGreaterThan(0);
    expect(defectPixels).toBeLessThan(mask.data.length / 2);
    expect(Math.min(...grey.data)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...grey.data)).toBeLessThanOrEqual(1);
  });

  it('resizes, replicates grey into colour and normalises per channel', async () => {
    const file = category.train[0]!.imagePath;
    const colour = await decodeImage(file, { size: [64, 48], channels: 3, normalise: IMAGENET_NORMALISATION });
    const raw = await decodeImage(file, { size: [64, 48], channels: 3 });
    expect([colour.height, colour.width, colour.channels, colour.data.length]).toEqual([64, 48, 3, 64 * 48 * 3]);
    expect(raw.data[0]).toBeCloseTo(raw.data[1]!, 6); // a grey tile: R = G
    expect(colour.data[0]).toBeCloseTo((raw.data[0]! - 0.485) / 0.229, 5);
    expect(colour.data[1]).toBeCloseTo((raw.data[1]! - 0.456) / 0.224, 5);
    const mask = await decodeMask(category.test.find((s) => s.maskPath)!.maskPath!, [64, 48]);
    expect(new Set(mask.data)).toEqual(new Set([0, 1]));
  });
});

describe('MVTec layout errors', () => {
  it('names the missing train/good folder', () => {
    expect(() => listMvtecCategory('/nonexistent/category')).toThrow(MvtecLayoutError);
    expect(() => listMvtecCategory('/nonexistent/category')).toThrow(/train\/good is missing/);
  });
});
