/**
 * The conv VAE behind the VisionModel contract: grey images at `size`², map = smoothed squared error of the
 * posterior-mean reconstruction, score = its maximum, latent = the posterior (mean, log-variance).
 *
 * @example
 *   const model = await trainConvVaeModel(images, count, { size: 64, epochs: 10, data: 'thermal-sim' });
 *   await model.save('models/thermal-conv-vae');
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { FloatImage } from '@vigil/datasets';
import { tf } from '@vigil/ml';
import { mapMax, smoothMap } from '../../maps/anomaly-map';
import type { VisionManifest, VisionModel, VisionScore } from '../vision-model';
import { buildConvVae, type ConvVae, reconstructionMaps, trainConvVae } from './conv-vae';

export const CONV_VAE_DEFAULTS = { size: 64, latent: 16, epochs: 10, beta: 0.01, ssimWeight: 0.8, sigma: 2, seed: 3 };
export type ConvVaeSettings = typeof CONV_VAE_DEFAULTS;

export class ConvVaeVisionModel implements VisionModel {
  constructor(
    readonly manifest: VisionManifest,
    private readonly vae: ConvVae,
  ) {}

  static async load(dir: string): Promise<ConvVaeVisionModel> {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as VisionManifest;
    const encoder = await tf.loadLayersModel(`file://${path.join(dir, 'encoder', 'model.json')}`);
    const decoder = await tf.loadLayersModel(`file://${path.join(dir, 'decoder', 'model.json')}`);
    const settings = manifest.settings as unknown as ConvVaeSettings;
    return new ConvVaeVisionModel(manifest, { config: { size: settings.size, latent: settings.latent, seed: settings.seed }, encoder, decoder });
  }

  async score(images: readonly FloatImage[]): Promise<VisionScore[]> {
    const { size, latent } = this.vae.config;
    const pixels = size * size;
    const data = new Float32Array(images.length * pixels);
    images.forEach((image, k) => data.set(image.data.subarray(0, pixels), k * pixels));
    const { maps, mean, logVar } = reconstructionMaps(this.vae, data, images.length);
    const sigma = Number(this.manifest.settings.sigma ?? 0);
    return images.map((_, k) => {
      const map = smoothMap(maps.subarray(k * pixels, (k + 1) * pixels), size, size, sigma);
      return { score: mapMax(map), map, latent: { mean: mean.slice(k * latent, (k + 1) * latent), logVar: logVar.slice(k * latent, (k + 1) * latent) } };
    });
  }

  withThreshold(threshold: number, rule: string, calibrationImages: number): ConvVaeVisionModel {
    return new ConvVaeVisionModel({ ...this.manifest, threshold, thresholdRule: rule, trainedOn: { ...this.manifest.trainedOn, calibrationImages } }, this.vae);
  }

  async save(dir: string): Promise<void> {
    mkdirSync(dir, { recursive: true });
    await this.vae.encoder.save(`file://${path.join(dir, 'encoder')}`);
    await this.vae.decoder.save(`file://${path.join(dir, 'decoder')}`);
    writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(this.manifest, null, 2)}\n`);
  }

  async dispose(): Promise<void> {
    this.vae.encoder.dispose();
    this.vae.decoder.dispose();
  }
}

/** `images`: `count` grey images of `size`², values 0..1, concatenated. */
export function trainConvVaeModel(images: Float32Array, count: number, options: Partial<ConvVaeSettings> & { data: string; log?: (line: string) => void }): ConvVaeVisionModel {
  const settings: ConvVaeSettings = { ...CONV_VAE_DEFAULTS, ...options, ...{} };
  const vae = buildConvVae({ size: settings.size, latent: settings.latent, seed: settings.seed });
  trainConvVae(vae, images, count, { ...settings, onEpoch: (epoch, loss) => options.log?.(`epoch ${epoch + 1}/${settings.epochs} loss ${loss.toFixed(4)}`) });
  const version = createHash('sha256').update(JSON.stringify(settings)).update(images.subarray(0, 4096)).digest('hex').slice(0, 12);
  const manifest: VisionManifest = {
    kind: 'conv-vae',
    version: `conv-vae-${version}`,
    inputSize: [settings.size, settings.size],
    channels: 1,
    threshold: Number.POSITIVE_INFINITY,
    thresholdRule: 'not calibrated',
    mapSize: [settings.size, settings.size],
    settings: { size: settings.size, latent: settings.latent, epochs: settings.epochs, beta: settings.beta, ssimWeight: settings.ssimWeight, sigma: settings.sigma, seed: settings.seed },
    trainedOn: { data: options.data, images: count, calibrationImages: 0 },
  };
  return new ConvVaeVisionModel(manifest, vae);
}
