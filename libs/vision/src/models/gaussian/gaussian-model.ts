/**
 * PaDiM-style vision model over several input sizes: each image is resized to every size in `scales`, runs through
 * EfficientNet-Lite0 (ONNX), and each size's per-position Gaussian (ONNX head, principal axes fitted on train)
 * gives a Mahalanobis map. The maps are divided by their mean on held-out good images (so each size votes on the
 * same scale), resampled to the first size's grid, averaged, smoothed; the image score is the maximum.
 * A larger input sees thinner defects (crack) on more cells; averaging sizes cancels each grid's noise.
 *
 * @example
 *   const model = await trainGaussianModel({ cacheDir, data, batches, settings: { sizes: [256, 320], dims: 160 } });
 *   const [r] = await model.score([image]);  // image decoded at manifest.inputSize (the largest size)
 *   await model.save('models/mtd-feature-vae');
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FloatImage } from '@vigil/datasets';
import { OnnxInferenceSession, tf } from '@vigil/ml';
import { requireBackbone } from '../../backbone/backbone-files';
import { FEATURE_STRIDE } from '../../backbone/efficientnet-lite0.constants';
import { FeatureBackbone } from '../../backbone/feature-backbone';
import { toChw } from '../../features/backbone-input';
import { resizeImage } from '../../features/resize-image';
import { mapMax, smoothMap, upsampleBilinear } from '../../maps/anomaly-map';
import type { VisionManifest, VisionModel, VisionScore } from '../vision-model';
import { buildFeatureVae, disposeFeatureVae, type FeatureVae, featureVaeScores, trainFeatureVae } from '../feature-vae/feature-vae';
import { PositionGaussianFit } from './gaussian-fit';
import { buildGaussianHead, HEAD_INPUT, HEAD_OUTPUT, HEAD_RESIDUAL } from './gaussian-head.onnx-graph';

export interface GaussianSettings {
  /** Square input sizes (multiples of 32); the first sets the map grid. */
  sizes: number[];
  /** Principal axes kept of the 344 feature channels (PCA on train); fewer → less memory. */
  dims: number;
  /** Grid smoothing of the fused map before the max, in cells of the first size's grid. */
  sigma: number;
  ridge: number;
}

export const GAUSSIAN_DEFAULTS: GaussianSettings = { sizes: [256], dims: 160, sigma: 2, ridge: 0.01 };

/** The feature VAE stage (model kind `feature-vae`): one small β-VAE per input size over the Gaussian's residuals. */
export interface FeatureVaeSettings {
  hidden: number;
  latent: number;
  beta: number;
  epochs: number;
  patchesPerEpoch: number;
  seed: number;
}

export const FEATURE_VAE_DEFAULTS: FeatureVaeSettings = { hidden: 128, latent: 16, beta: 0.1, epochs: 4, patchesPerEpoch: 200_000, seed: 7 };

/** One input size's part of a saved model. */
export interface GaussianScale {
  size: number;
  grid: [number, number];
  /** Mean map value on the held-out good images (1 until calibrated). */
  normaliser: number;
  /** The same for the Gaussian's own distance map (what `asGaussian()` fuses); equals `normaliser` for kind gaussian. */
  gaussianNormaliser?: number;
}

export type ScaleFeatures = { data: Float32Array; shape: number[] }[];

const headFile = (size: number) => `gaussian-head-${size}.onnx`;
const vaeDir = (size: number) => `feature-vae-${size}`;

export class GaussianVisionModel implements VisionModel {
  private constructor(
    readonly manifest: VisionManifest,
    private readonly backbone: FeatureBackbone,
    /** A loaded model keeps the head's file, not its ~50 MB of bytes (ONNX Runtime holds the weights already). */
    private readonly heads: { session: OnnxInferenceSession; source: Uint8Array | string }[],
    /** One per scale for kind feature-vae; absent for kind gaussian (and for its `asGaussian()` view). */
    private readonly vaes: FeatureVae[] | undefined,
    /** onlyScale views share the sessions and never dispose them; withThreshold/withNormalisers hand ownership on. */
    private owner: boolean,
  ) {}

  /** `heads`: one ONNX head per scale, as bytes (freshly trained) or a file path (loaded). */
  static async create(manifest: VisionManifest, heads: (Uint8Array | string)[], cacheDir: string, threads?: number, vaes?: FeatureVae[]): Promise<GaussianVisionModel> {
    const backbone = await FeatureBackbone.load(requireBackbone(cacheDir), threads ? { threads } : {});
    const sessions = [];
    for (const source of heads) sessions.push({ session: await OnnxInferenceSession.create(source, threads ? { intraOpNumThreads: threads } : {}), source });
    return new GaussianVisionModel(manifest, backbone, sessions, vaes, true);
  }

  static async load(dir: string, cacheDir: string, threads?: number): Promise<GaussianVisionModel> {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as VisionManifest;
    const scales = scalesOf(manifest);
    const heads = scales.map((scale) => path.resolve(dir, headFile(scale.size)));
    let vaes: FeatureVae[] | undefined;
    if (manifest.kind === 'feature-vae') {
      const config = manifest.settings.featureVae as FeatureVaeSettings;
      vaes = [];
      for (const { size } of scales) {
        const [encoder, decoder] = await Promise.all(
          ['encoder', 'decoder'].map((part) => tf.loadLayersModel(`file://${path.join(dir, vaeDir(size), part, 'model.json')}`)),
        );
        vaes.push({ config: { inputDims: Number(manifest.settings.dims), hidden: config.hidden, latent: config.latent, seed: config.seed }, encoder: encoder!, decoder: decoder! });
      }
    }
    return GaussianVisionModel.create(manifest, heads, cacheDir, threads, vaes);
  }

  get scales(): GaussianScale[] {
    return scalesOf(this.manifest);
  }

  /** Backbone features per scale for images decoded at `manifest.inputSize` (see decodeForModel). */
  async features(images: readonly FloatImage[]): Promise<ScaleFeatures> {
    const out: ScaleFeatures = [];
    for (const { size } of this.scales) {
      const batch = new Float32Array(images.length * 3 * size * size);
      images.forEach((image, k) => toChw(resizeImage(image, [size, size]), batch, k * 3 * size * size));
      const features = await this.backbone.features(batch, [images.length, 3, size, size]);
      out.push({ data: features.data as Float32Array, shape: features.shape });
    }
    return out;
  }

  /** Raw (unnormalised) maps per scale, `[N · gridH · gridW]` each: the VAE's √(negative ELBO) per patch, or the Gaussian distance. */
  async scaleMaps(features: ScaleFeatures, gaussianOnly = false): Promise<Float32Array[]> {
    const maps: Float32Array[] = [];
    for (const [s, head] of this.heads.entries()) {
      const out = await head.session.run({ [HEAD_INPUT]: features[s]! });
      const vae = gaussianOnly ? undefined : this.vaes?.[s];
      if (!vae) {
        maps.push(out[HEAD_OUTPUT]!.data as Float32Array);
        continue;
      }
      const grid = this.scales[s]!.grid;
      const residual = imageMajor(out[HEAD_RESIDUAL]!.data as Float32Array, out[HEAD_RESIDUAL]!.shape);
      const positions = Int32Array.from({ length: residual.length / vae.config.inputDims }, (_, i) => i % (grid[0] * grid[1]));
      const beta = Number((this.manifest.settings.featureVae as FeatureVaeSettings).beta);
      maps.push(featureVaeScores(vae, residual, positions, grid, beta).map((v) => Math.sqrt(Math.max(v, 0))));
    }
    return maps;
  }

  async scoreFeatures(features: ScaleFeatures): Promise<VisionScore[]> {
    const [mh, mw] = this.manifest.mapSize;
    const sigma = Number(this.manifest.settings.sigma ?? 0);
    const maps = await this.scaleMaps(features);
    const n = features[0]!.shape[0]!;
    const scales = this.scales;
    return Array.from({ length: n }, (_, k) => {
      const fused = new Float32Array(mh * mw);
      for (const [s, scale] of scales.entries()) {
        const [gh, gw] = scale.grid;
        const own = maps[s]!.subarray(k * gh * gw, (k + 1) * gh * gw);
        const resampled = gh === mh && gw === mw ? own : upsampleBilinear(own, gh, gw, mh, mw);
        for (let i = 0; i < fused.length; i++) fused[i]! += resampled[i]! / scale.normaliser / scales.length;
      }
      const map = smoothMap(fused, mh, mw, sigma);
      return { score: mapMax(map), map };
    });
  }

  async score(images: readonly FloatImage[]): Promise<VisionScore[]> {
    return this.scoreFeatures(await this.features(images));
  }

  /** Views of this model (asGaussian, onlyScale) scored from one backbone pass: one result list per view. */
  async scoreViews(images: readonly FloatImage[], views: readonly GaussianVisionModel[]): Promise<VisionScore[][]> {
    const features = await this.features(images);
    const sizes = this.scales.map((scale) => scale.size);
    const out: VisionScore[][] = [];
    for (const view of views) out.push(await view.scoreFeatures(view.scales.map((scale) => features[sizes.indexOf(scale.size)]!)));
    return out;
  }

  /** The fused model, its Gaussian (for kind feature-vae) and each input size alone: the rows `vigil vision evaluate` prints. */
  evaluationViews(): { name: string; model: GaussianVisionModel }[] {
    const families: { name: string; model: GaussianVisionModel }[] = [{ name: this.manifest.kind === 'feature-vae' ? 'feature VAE' : 'Gaussian', model: this }];
    if (this.manifest.kind === 'feature-vae') families.push({ name: 'Gaussian', model: this.asGaussian() });
    const views = [...families];
    if (this.scales.length > 1) for (const family of families) for (const { size } of this.scales) views.push({ name: `  ${family.name} ${size}px alone`, model: family.model.onlyScale(size) });
    const { dims, sigma } = this.manifest.settings as { dims: number; sigma: number };
    return views.map((v) => ({ name: `${v.name} (${v.model.scales.map((x) => x.size).join('+')}px, ${dims} axes, σ ${Number(v.model.manifest.settings.sigma ?? sigma).toFixed(1)})`, model: v.model }));
  }

  withThreshold(threshold: number, rule: string): GaussianVisionModel {
    return this.handOver({ ...this.manifest, threshold, thresholdRule: rule });
  }

  /** Per-scale normalisers from held-out good images' raw maps (mean map value per scale), the model's and the Gaussian's. */
  withNormalisers(normalisers: readonly number[], gaussianNormalisers: readonly number[] = normalisers): GaussianVisionModel {
    const scales = this.scales.map((scale, s) => ({ ...scale, normaliser: normalisers[s]!, gaussianNormaliser: gaussianNormalisers[s]! }));
    return this.handOver({ ...this.manifest, settings: { ...this.manifest.settings, scales } });
  }

  /** A copy with another manifest that takes over disposing the sessions (this one then disposes nothing). */
  private handOver(manifest: VisionManifest): GaussianVisionModel {
    const next = new GaussianVisionModel(manifest, this.backbone, this.heads, this.vaes, this.owner);
    this.owner = false;
    return next;
  }

  /** The single-size model inside this one (the PaDiM baseline on the same features), threshold not calibrated. */
  onlyScale(size: number): GaussianVisionModel {
    const s = this.scales.findIndex((scale) => scale.size === size);
    if (s < 0) throw new Error(`this model has no ${size}px scale (${this.scales.map((x) => x.size).join(', ')})`);
    const scale = this.scales[s]!;
    const sigma = (Number(this.manifest.settings.sigma ?? 0) * scale.grid[0]) / this.manifest.mapSize[0];
    const manifest: VisionManifest = {
      ...this.manifest,
      inputSize: [size, size],
      mapSize: scale.grid,
      threshold: Number.POSITIVE_INFINITY,
      thresholdRule: 'not calibrated',
      settings: { ...this.manifest.settings, sizes: [size], sigma, scales: [{ ...scale, normaliser: 1 }] },
    };
    return new GaussianVisionModel(manifest, this.backbone, [this.heads[s]!], this.vaes ? [this.vaes[s]!] : undefined, false);
  }

  /** The per-position Gaussian inside a feature-VAE model, on the same features (the baseline it must beat); threshold not calibrated. */
  asGaussian(): GaussianVisionModel {
    const scales = this.scales.map((scale) => ({ ...scale, normaliser: scale.gaussianNormaliser ?? scale.normaliser }));
    const { featureVae: _vae, ...settings } = this.manifest.settings;
    const manifest: VisionManifest = {
      ...this.manifest,
      kind: 'gaussian',
      threshold: Number.POSITIVE_INFINITY,
      thresholdRule: 'not calibrated',
      settings: { ...settings, scales },
    };
    return new GaussianVisionModel(manifest, this.backbone, this.heads, undefined, false);
  }

  async save(dir: string): Promise<void> {
    mkdirSync(dir, { recursive: true });
    for (const [s, scale] of this.scales.entries()) {
      const source = this.heads[s]!.source;
      const target = path.resolve(dir, headFile(scale.size));
      if (typeof source !== 'string') writeFileSync(target, source);
      else if (source !== target) copyFileSync(source, target);
      const vae = this.vaes?.[s];
      if (!vae) continue;
      for (const [part, model] of [['encoder', vae.encoder], ['decoder', vae.decoder]] as const) {
        mkdirSync(path.join(dir, vaeDir(scale.size), part), { recursive: true });
        await model.save(`file://${path.join(dir, vaeDir(scale.size), part)}`);
      }
    }
    writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(this.manifest, null, 2)}\n`);
  }

  async dispose(): Promise<void> {
    if (!this.owner) return;
    for (const head of this.heads) await head.session.dispose();
    for (const vae of this.vaes ?? []) disposeFeatureVae(vae);
    await this.backbone.dispose();
  }
}

/** `[P, N, d]` (the head's layout) → `[N · P, d]`, image-major like the maps. */
function imageMajor(residual: Float32Array, shape: readonly number[]): Float32Array {
  const [p, n, d] = shape as [number, number, number];
  const out = new Float32Array(residual.length);
  for (let q = 0; q < p; q++) for (let k = 0; k < n; k++) out.set(residual.subarray((q * n + k) * d, (q * n + k + 1) * d), (k * p + q) * d);
  return out;
}

function scalesOf(manifest: VisionManifest): GaussianScale[] {
  const scales = manifest.settings.scales as GaussianScale[] | undefined;
  if (!Array.isArray(scales) || scales.length === 0) throw new Error(`gaussian model ${manifest.version} lists no scales (settings.scales)`);
  return scales;
}

export interface GaussianTrainOptions {
  cacheDir: string;
  settings?: Partial<GaussianSettings>;
  data: string;
  /** Yields batches of normalised images at the largest size; called once. */
  batches: AsyncIterable<FloatImage[]>;
  /** Also train the feature VAE on the fit images' residuals (model kind feature-vae). */
  featureVae?: Partial<FeatureVaeSettings>;
  threads?: number;
  log?: (line: string) => void;
}

export async function trainGaussianModel(options: GaussianTrainOptions): Promise<GaussianVisionModel> {
  const settings = { ...GAUSSIAN_DEFAULTS, ...options.settings };
  if (settings.sizes.length === 0 || settings.sizes.some((s) => s % 32 !== 0)) throw new Error(`input sizes must be multiples of 32 (got ${settings.sizes.join(', ')})`);
  const largest = Math.max(...settings.sizes);
  const grids = settings.sizes.map((size): [number, number] => [size / FEATURE_STRIDE, size / FEATURE_STRIDE]);
  const backbone = await FeatureBackbone.load(requireBackbone(options.cacheDir), options.threads ? { threads: options.threads } : {});
  const fits = grids.map(([h, w]) => new PositionGaussianFit(h, w));
  // The VAE trains on the fit images' residuals, known only once the Gaussian is fitted: keep the features until then.
  const kept: ScaleFeatures[] = settings.sizes.map(() => []);
  const hash = createHash('sha256').update(JSON.stringify({ settings }));
  try {
    for await (const images of options.batches) {
      for (const [s, size] of settings.sizes.entries()) {
        const batch = new Float32Array(images.length * 3 * size * size);
        images.forEach((image, k) => toChw(resizeImage(image, [size, size]), batch, k * 3 * size * size));
        const features = await backbone.features(batch, [images.length, 3, size, size]);
        fits[s]!.add(features.data as Float32Array, images.length);
        if (options.featureVae) kept[s]!.push({ data: features.data as Float32Array, shape: features.shape });
        if (s === 0) hash.update(batch.subarray(0, 64));
      }
    }
  } catch (error) {
    for (const fit of fits) fit.dispose();
    throw error;
  } finally {
    await backbone.dispose();
  }
  const heads: Uint8Array[] = [];
  let count = 0;
  for (const [s, fit] of fits.entries()) {
    const gaussian = fit.finish(settings.dims, settings.ridge);
    count = gaussian.count;
    heads.push(buildGaussianHead(gaussian, grids[s]![0], grids[s]![1]));
    options.log?.(`${settings.sizes[s]}px: Gaussian over ${gaussian.dims} principal axes at ${grids[s]!.join('×')} positions`);
  }
  const vaeSettings = options.featureVae ? { ...FEATURE_VAE_DEFAULTS, ...options.featureVae } : undefined;
  const vaes = vaeSettings ? await trainScaleVaes(heads, kept, grids, Math.min(settings.dims, 344), vaeSettings, options.log) : undefined;
  const manifest: VisionManifest = {
    kind: vaeSettings ? 'feature-vae' : 'gaussian',
    version: `${vaeSettings ? 'feature-vae' : 'gaussian'}-${hash.update(JSON.stringify(vaeSettings ?? {})).digest('hex').slice(0, 12)}`,
    inputSize: [largest, largest],
    channels: 3,
    threshold: Number.POSITIVE_INFINITY,
    thresholdRule: 'not calibrated',
    mapSize: grids[0]!,
    settings: {
      ...settings,
      scales: settings.sizes.map((size, s) => ({ size, grid: grids[s]!, normaliser: 1 })),
      ...(vaeSettings ? { featureVae: vaeSettings } : {}),
      trainImages: count,
    },
    trainedOn: { data: options.data, images: count, calibrationImages: 0 },
  };
  return GaussianVisionModel.create(manifest, heads, options.cacheDir, options.threads, vaes);
}

async function trainScaleVaes(
  heads: Uint8Array[],
  kept: ScaleFeatures[],
  grids: [number, number][],
  dims: number,
  settings: FeatureVaeSettings,
  log?: (line: string) => void,
): Promise<FeatureVae[]> {
  const vaes: FeatureVae[] = [];
  for (const [s, bytes] of heads.entries()) {
    const head = await OnnxInferenceSession.create(bytes);
    const positions = grids[s]![0] * grids[s]![1];
    const images = kept[s]!.reduce((n, f) => n + f.shape[0]!, 0);
    const residuals = new Float32Array(images * positions * dims);
    let offset = 0;
    while (kept[s]!.length > 0) {
      const features = kept[s]!.shift()!;
      const out = (await head.run({ [HEAD_INPUT]: features }))[HEAD_RESIDUAL]!;
      const u = imageMajor(out.data as Float32Array, out.shape);
      residuals.set(u, offset);
      offset += u.length;
    }
    await head.dispose();
    const vae = buildFeatureVae({ inputDims: dims, hidden: settings.hidden, latent: settings.latent, seed: settings.seed + s });
    const started = Date.now();
    trainFeatureVae(vae, residuals, Int32Array.from({ length: images * positions }, (_, i) => i % positions), grids[s]!, {
      epochs: settings.epochs,
      beta: settings.beta,
      seed: settings.seed + s,
      patchesPerEpoch: settings.patchesPerEpoch,
      onEpoch: (epoch, loss) => log?.(`feature VAE ${grids[s]!.join('×')}: epoch ${epoch + 1}/${settings.epochs} loss ${loss.toFixed(2)} (${((Date.now() - started) / 1000).toFixed(0)} s)`),
    });
    vaes.push(vae);
  }
  return vaes;
}
