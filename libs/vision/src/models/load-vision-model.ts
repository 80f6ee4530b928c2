/** Opens a saved model directory by the kind its manifest names. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ConvVaeVisionModel } from './conv-vae/conv-vae.model';
import { GaussianVisionModel, type SessionPlacement } from './gaussian/gaussian-model';
import type { VisionManifest, VisionModel } from './vision-model';

export class VisionModelError extends Error {
  readonly retriable = false;
}

/** `host` places a feature-VAE / Gaussian model's sessions (SessionPlacement); a tfjs conv VAE runs where tfjs does. */
export async function loadVisionModel(dir: string, options: { cacheDir: string } & SessionPlacement): Promise<VisionModel> {
  const manifestPath = path.join(dir, 'manifest.json');
  let manifest: VisionManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as VisionManifest;
  } catch (error) {
    throw new VisionModelError(`${manifestPath} is missing or not JSON (${(error as Error).message})`);
  }
  switch (manifest.kind) {
    case 'gaussian':
    case 'feature-vae':
      return GaussianVisionModel.load(dir, options.cacheDir, { threads: options.threads, host: options.host });
    case 'conv-vae':
      return ConvVaeVisionModel.load(dir);
    default:
      throw new VisionModelError(`model kind "${manifest.kind}" in ${manifestPath} cannot be served yet`);
  }
}
