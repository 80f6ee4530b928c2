/**
 * The MVTec AD folder layout, as a plain listing: `<category>/train/good/*`, `<category>/test/<type>/*` and
 * `<category>/ground_truth/<type>/<stem>_mask.png`. No pixels are read here, so listing a category is instant and
 * a defect type that only exists at a plant (not in the shared data) is picked up by its folder name alone.
 *
 * @example
 *   const category = listMvtecCategory(path.join(resolveDataDir(), 'mtd', 'magnetic_tile'));
 *   category.test.filter((s) => s.defectType === 'crack').map((s) => s.maskPath);
 */
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

export const GOOD = 'good';
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp']);

export interface MvtecSample {
  /** Absolute path of the image. */
  imagePath: string;
  /** `good` or the defect folder's name. */
  defectType: string;
  /** Pixel mask (white = defect); undefined for good images and for defects without a mask file. */
  maskPath?: string;
}

export interface MvtecCategory {
  root: string;
  name: string;
  train: MvtecSample[];
  test: MvtecSample[];
  /** Defect types found under test/, sorted, without `good`. */
  defectTypes: string[];
}

export class MvtecLayoutError extends Error {
  readonly retriable = false;
}

export function listMvtecCategory(root: string): MvtecCategory {
  const trainGood = path.join(root, 'train', GOOD);
  if (!existsSync(trainGood)) throw new MvtecLayoutError(`${root} is not an MVTec AD category: ${trainGood} is missing`);
  const train = listImages(trainGood).map((imagePath) => ({ imagePath, defectType: GOOD }));
  const testDir = path.join(root, 'test');
  const types = existsSync(testDir)
    ? readdirSync(testDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const test = types.flatMap((defectType) =>
    listImages(path.join(testDir, defectType)).map((imagePath): MvtecSample => {
      if (defectType === GOOD) return { imagePath, defectType };
      const maskPath = path.join(root, 'ground_truth', defectType, `${path.parse(imagePath).name}_mask.png`);
      return existsSync(maskPath) ? { imagePath, defectType, maskPath } : { imagePath, defectType };
    }),
  );
  return { root, name: path.basename(root), train, test, defectTypes: types.filter((t) => t !== GOOD) };
}

/** Image files of one folder, sorted by name so every listing (and every seeded split over it) is stable. */
export function listImages(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => IMAGE_EXTENSIONS.has(path.extname(name).toLowerCase()))
    .sort()
    .map((name) => path.join(dir, name));
}
