/**
 * `--images` for the CLI: a folder (its image files, sorted) or a glob (`plant/cam-3/*.png`), resolved to
 * absolute paths in a stable order.
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { listImages } from '@vigil/datasets';
import { globSync } from 'tinyglobby';

export function resolveImageFiles(folderOrGlob: string, cwd = process.cwd()): string[] {
  const absolute = path.resolve(cwd, folderOrGlob);
  if (existsSync(absolute) && statSync(absolute).isDirectory()) return listImages(absolute);
  if (existsSync(absolute)) return [absolute];
  return globSync(folderOrGlob, { cwd, absolute: true, onlyFiles: true }).sort();
}
