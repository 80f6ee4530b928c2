/**
 * PaDiM-style vision model over one or more input sizes: each image is resized to every size in `scales`, runs
 * through EfficientNet-Lite2 (ONNX), and each size's Gaussian head (ONNX; principal axes fitted on train, means per
 * position, covariances per position or shared over `share × share` blocks) gives a Mahalanobis map — or, for kind
 * feature-vae, the map of the β-VAE on the head's whitened residuals, computed inside the same head. The maps are
 * divided by their mean on held-out good images (so each size votes on the same scale), resampled to the first
 * size's grid, averaged, smoothed; the image score is the maximum. Training picks the pool radius, the view that
 * serves (fused, its Gaussian, one size alone) and σ on a synthetic validation set (train-vision-model).
 *
 * @example
 *   const model = await trainGaussianModel({ cacheDir, data, batches, settings: { sizes: [256, 320], dims: 160, share: 2 } });
 *   const [r] = await model.score([image]);  // image decoded at manifest.inputSize (the largest size)
 *   await model.save('models/mtd-feature-vae');
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FloatImage } from '@vigil/datasets';
import { OnnxInferenceSession, type OnnxSessionHost, rocAuc } from '@vigil/ml';
import { requireBackbone } from '../../backbone/backbone-files';
import { BACKBONE_ID, FEATURE_CHANNELS, FEATURE_STRIDE } from '../../backbone/efficientnet-lite.constants';
import { FeatureBackbone, VISION_SESSION_OPTIONS } from '../../backbone/feature-backbone';
import { toChw } from '../../features/backbone-input';
import { resizeImage } from '../../features/resize-image';
import { mapMax, smoothMap, topKMean, upsampleBilinear } from '../../maps/anomaly-map';
import type { VisionManifest, VisionModel, VisionScore } from '../vision-model';
import { buildFeatureVae, disposeFeatureVae, type FeatureVae, featureVaeWeights, trainFeatureVae } from '../feature-vae/feature-vae';
import { fitPositionStatistics, type PositionGaussian, whitenGaussian } from './gaussian-fit';
import { buildGaussianHead, HEAD_INPUT, HEAD_OUTPUT, HEAD_RESIDUAL, HEAD_VAE } from './gaussian-head.onnx-graph';

export interface GaussianSettings {
  /** Square input sizes (multiples of 32); the first sets the map grid. */
  sizes: number[];
  /** Principal axes kept of the 376 feature channels (PCA on train); fewer → less memory; 376 = every channel as it is, no PCA. */
  dims: number;
  /** Grid smoothing of the fused map before the max, in cells of the first size's grid. */
  sigma: number;
  ridge: number;
  /** Covariances shared over `share × share` blocks of positions (memory ÷ share²; see covariance-pooling). */
  share: number;
  /** Cells on each side of a block that join its covariance estimate; chosen on validation when candidates are given. */
  poolRadius: number;
  /** Image score = mean of the map's `topK` largest cells after smoothing (1 = the maximum); chosen on validation. */
  topK: number;
}

export const GAUSSIAN_DEFAULTS: GaussianSettings = { sizes: [256], dims: 160, sigma: 2, ridge: 0.01, share: 1, poolRadius: 0, topK: 1 };

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

/** How a loaded model's ONNX sessions run: intra-op threads, and on which thread (OnnxSessionHost). */
export interface SessionPlacement {
  threads?: number;
  host?: OnnxSessionHost;
}

/** A feature model fitted on another backbone's (or another input scaling's) features: it must be retrained, not served. */
export class BackboneMismatchError extends Error {
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'BackboneMismatchError';
  }
}

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

  /**
   * `heads`: one ONNX head per scale, as bytes (freshly trained) or a file path (loaded). `placement`: intra-op
   * threads, and where the backbone's and heads' sessions run (`host: 'worker'`: the ONNX session worker thread,
   * off the caller's event loop, as the detector serves them; default this thread).
   */
  static async create(
    manifest: VisionManifest,
    heads: (Uint8Array | string)[],
    cacheDir: string,
    placement: SessionPlacement = {},
    vaes?: FeatureVae[],
  ): Promise<GaussianVisionModel> {
    const fittedOn = manifest.settings.backbone ?? 'an earlier backbone (its manifest names none)';
    if (fittedOn !== BACKBONE_ID)
      throw new BackboneMismatchError(`${manifest.version} was fitted on ${String(fittedOn)} features; this build's backbone is ${BACKBONE_ID}: retrain it (npm run train:mtd -w libs/vision)`);
    const { threads, host } = placement;
    const backbone = await FeatureBackbone.load(requireBackbone(cacheDir), { ...(threads ? { threads } : {}), host });
    const sessions = [];
    for (const source of heads)
      sessions.push({ session: await OnnxInferenceSession.create(source, { ...VISION_SESSION_OPTIONS, ...(threads ? { intraOpNumThreads: threads } : {}), host }), source });
    return new GaussianVisionModel(manifest, backbone, sessions, vaes, true);
  }

  static async load(dir: string, cacheDir: string, placement: SessionPlacement = {}): Promise<GaussianVisionModel> {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as VisionManifest;
    const scales = scalesOf(manifest);
    const heads = scales.map((scale) => path.resolve(dir, headFile(scale.size)));
    // The feature VAE runs inside each head (output `vae`); feature-vae-<size>/ keeps its tfjs form for reference only.
    const model = await GaussianVisionModel.create(manifest, heads, cacheDir, placement);
    if (manifest.kind === 'feature-vae' && model.heads.some((head) => !head.session.outputNames.includes(HEAD_VAE))) {
      await model.dispose();
      throw new Error(`${dir}: its heads carry no feature VAE output (a model saved before the VAE moved into the head); retrain it`);
    }
    return model;
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
    const output = this.manifest.kind === 'feature-vae' && !gaussianOnly ? HEAD_VAE : HEAD_OUTPUT;
    const maps: Float32Array[] = [];
    for (const [s, head] of this.heads.entries()) maps.push((await head.session.run({ [HEAD_INPUT]: features[s]! }, [output]))[output]!.data as Float32Array);
    return maps;
  }

  /** The per-image fused map before smoothing: each size's map over its normaliser, resampled to the map grid, averaged. */
  async fusedMaps(features: ScaleFeatures): Promise<Float32Array[]> {
    const maps = await this.scaleMaps(features);
    const n = features[0]!.shape[0]!;
    const scales = this.scales;
    return Array.from({ length: n }, (_, k) =>
      fuseScaleMaps(
        scales.map((scale, s) => maps[s]!.subarray(k * scale.grid[0] * scale.grid[1], (k + 1) * scale.grid[0] * scale.grid[1])),
        scales,
        this.manifest.mapSize,
      ),
    );
  }

  async scoreFeatures(features: ScaleFeatures): Promise<VisionScore[]> {
    const [mh, mw] = this.manifest.mapSize;
    const sigma = Number(this.manifest.settings.sigma ?? 0);
    // Models saved before the knob existed score with the maximum.
    const topK = Number(this.manifest.settings.topK ?? 1);
    return (await this.fusedMaps(features)).map((fused) => {
      const map = smoothMap(fused, mh, mw, sigma);
      return { score: topKMean(map, topK), map };
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
    const topK = Number(this.manifest.settings.topK ?? 1);
    const scoreName = topK > 1 ? `, top-${topK} mean` : '';
    return views.map((v) => ({
      name: `${v.name} (${v.model.scales.map((x) => x.size).join('+')}px, ${channelsInWords(dims)}, σ ${Number(v.model.manifest.settings.sigma ?? sigma).toFixed(1)}${scoreName})`,
      model: v.model,
    }));
  }

  /** The same model with another smoothing σ (cells of its map grid): the knob chosen on validation. */
  withSigma(sigma: number): GaussianVisionModel {
    return this.handOver({ ...this.manifest, settings: { ...this.manifest.settings, sigma } });
  }

  /** The same model with another image score: the mean of the `topK` largest map cells (1 = the maximum). */
  withTopK(topK: number): GaussianVisionModel {
    return this.handOver({ ...this.manifest, settings: { ...this.manifest.settings, topK } });
  }

  /** The same model with `extra` merged into its settings (e.g. how it was cross-fitted, settings.crossFit). */
  withSettings(extra: Record<string, unknown>): GaussianVisionModel {
    return this.handOver({ ...this.manifest, settings: { ...this.manifest.settings, ...extra } });
  }

  /** Records what was chosen on which data in the manifest (settings.validation). */
  withValidation(validation: Record<string, unknown>): GaussianVisionModel {
    return this.handOver({ ...this.manifest, settings: { ...this.manifest.settings, validation } });
  }

  /** A view of this model (asGaussian, onlyScale) that takes over disposing the sessions: the view chosen to serve. */
  adopt(view: GaussianVisionModel): GaussianVisionModel {
    if (view.backbone !== this.backbone) throw new Error('adopt takes a view of this model');
    const next = new GaussianVisionModel(view.manifest, this.backbone, view.heads, view.vaes, this.owner);
    this.owner = false;
    return next;
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
    // A model saved over one of other input sizes would leave that model's heads and VAEs beside its own (a stale
    // 42 MB head, a tfjs VAE committed by mistake): this model's files are the only ones of their kind in `dir`.
    const own = new Set(this.scales.flatMap((scale) => [headFile(scale.size), vaeDir(scale.size)]));
    for (const entry of readdirSync(dir))
      if (/^(gaussian-head-\d+\.onnx|feature-vae-\d+)$/.test(entry) && !own.has(entry)) rmSync(path.join(dir, entry), { recursive: true, force: true });
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

/**
 * One image's fused map: each size's raw map (`maps[s]`, its own grid) over that size's normaliser, resampled to
 * `mapSize`, averaged over the sizes. The served model and the trainer's out-of-fold maps both fuse through here.
 */
export function fuseScaleMaps(maps: readonly Float32Array[], scales: readonly GaussianScale[], mapSize: readonly [number, number]): Float32Array {
  const [mh, mw] = mapSize;
  const fused = new Float32Array(mh * mw);
  for (const [s, scale] of scales.entries()) {
    const [gh, gw] = scale.grid;
    const own = maps[s]!;
    const resampled = gh === mh && gw === mw ? own : upsampleBilinear(own, gh, gw, mh, mw);
    for (let i = 0; i < fused.length; i++) fused[i]! += resampled[i]! / scale.normaliser / scales.length;
  }
  return fused;
}

/** What a Gaussian over `dims` of the 376 channels keeps, in the words the logs and evaluation rows use. */
export function channelsInWords(dims: number): string {
  return dims >= FEATURE_CHANNELS ? `all ${FEATURE_CHANNELS} channels` : `${dims} axes`;
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

/** Images → backbone features → the model fitted on all of them (pool radius `settings.poolRadius`), not calibrated. */
export async function trainGaussianModel(options: GaussianTrainOptions): Promise<GaussianVisionModel> {
  const settings = checkedSettings(options.settings);
  const backbone = await FeatureBackbone.load(requireBackbone(options.cacheDir), options.threads ? { threads: options.threads } : {});
  let rows: Float32Array[][];
  try {
    rows = await extractFeatureRows(backbone, settings.sizes, options.batches);
  } finally {
    await backbone.dispose();
  }
  return fitGaussianVisionModel({ ...options, settings, rows });
}

/** Settings merged with the defaults; input sizes and covariance sharing checked against the feature grids. */
export function checkedSettings(partial: Partial<GaussianSettings> = {}): GaussianSettings {
  const settings = { ...GAUSSIAN_DEFAULTS, ...partial };
  if (settings.sizes.length === 0 || settings.sizes.some((s) => s % 32 !== 0)) throw new Error(`input sizes must be multiples of 32 (got ${settings.sizes.join(', ')})`);
  const grids = settings.sizes.map(gridOf);
  if (grids.some(([h, w]) => h % settings.share !== 0 || w % settings.share !== 0)) throw new Error(`share ${settings.share} does not divide the grids ${grids.map((g) => g.join('×')).join(', ')}`);
  return settings;
}

/** The backbone's feature grid at one input size. */
export function gridOf(size: number): [number, number] {
  return [size / FEATURE_STRIDE, size / FEATURE_STRIDE];
}

/**
 * Backbone features of every image at every size, `[scale][image]`, each a `[376, gridH, gridW]` grid (float32):
 * held in memory so that cross-fitting runs the backbone once per image, not once per fold (774 images at 320 px ≈ 1.7 GB).
 * Images come at the largest size and are resized to each smaller one, as `features()` does when scoring.
 */
export async function extractFeatureRows(backbone: FeatureBackbone, sizes: readonly number[], batches: AsyncIterable<FloatImage[]>): Promise<Float32Array[][]> {
  const rows: Float32Array[][] = sizes.map(() => []);
  for await (const images of batches) {
    for (const [s, size] of sizes.entries()) {
      const batch = new Float32Array(images.length * 3 * size * size);
      images.forEach((image, k) => toChw(resizeImage(image, [size, size]), batch, k * 3 * size * size));
      const data = (await backbone.features(batch, [images.length, 3, size, size])).data as Float32Array;
      const per = data.length / images.length;
      for (let k = 0; k < images.length; k++) rows[s]!.push(data.slice(k * per, (k + 1) * per));
    }
  }
  return rows;
}

/** Per-image maps of the head's outputs over feature grids `rows` (one `[376, H, W]` each), `batchSize` grids per run. */
export async function headMaps(head: OnnxInferenceSession, rows: readonly Float32Array[], grid: readonly [number, number], outputs: readonly string[], batchSize = 8): Promise<Float32Array[][]> {
  const cells = grid[0] * grid[1];
  const maps: Float32Array[][] = outputs.map(() => []);
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    const per = batch[0]!.length;
    const data = new Float32Array(batch.length * per);
    batch.forEach((row, k) => data.set(row, k * per));
    const result = await head.run({ [HEAD_INPUT]: { data, shape: [batch.length, per / cells, grid[0], grid[1]] } }, [...outputs]);
    outputs.forEach((name, o) => {
      const values = result[name]!.data as Float32Array;
      for (let k = 0; k < batch.length; k++) maps[o]!.push(values.slice(k * cells, (k + 1) * cells));
    });
  }
  return maps;
}

export interface GaussianFitOptions {
  cacheDir: string;
  data: string;
  settings: GaussianSettings;
  /** `[scale][image]` feature grids to fit on (see extractFeatureRows). */
  rows: Float32Array[][];
  /** Pool radius per scale (default `settings.poolRadius` for every scale): chosen on validation by the trainer. */
  radii?: number[];
  /** What the radii were chosen on, recorded in the manifest (settings.poolValidation). */
  poolValidation?: Record<string, unknown>[];
  featureVae?: Partial<FeatureVaeSettings>;
  threads?: number;
  log?: (line: string) => void;
}

/** The Gaussian (and, with `featureVae`, the VAE on its residuals) fitted on in-memory feature grids: one model, not calibrated. */
export async function fitGaussianVisionModel(options: GaussianFitOptions): Promise<GaussianVisionModel> {
  const { settings } = options;
  const grids = settings.sizes.map(gridOf);
  const radii = options.radii ?? settings.sizes.map(() => settings.poolRadius);
  const vaeSettings = options.featureVae ? { ...FEATURE_VAE_DEFAULTS, ...options.featureVae } : undefined;
  const hash = createHash('sha256').update(JSON.stringify({ settings }));
  for (const row of options.rows[0]!) hash.update(row.subarray(0, 64));
  const heads: Uint8Array[] = [];
  const vaes: FeatureVae[] = [];
  let count = 0;
  for (const [s, size] of settings.sizes.entries()) {
    const rows = options.rows[s]!;
    const stats = fitPositionStatistics(rows, ...grids[s]!, settings.dims);
    const gaussian = whitenGaussian(stats, settings.ridge, { share: settings.share, radius: radii[s]! });
    count = gaussian.count;
    options.log?.(`${size}px: Gaussian over ${channelsInWords(stats.dims)} at ${grids[s]!.join('×')} positions from ${count} images, covariance shared over ${settings.share}×${settings.share} blocks, pool radius ${radii[s]}`);
    const vae = vaeSettings ? await trainScaleVae(gaussian, rows, grids[s]!, vaeSettings, s, options.log) : undefined;
    if (vae) vaes.push(vae);
    heads.push(buildGaussianHead(gaussian, ...grids[s]!, vae && vaeSettings ? { vae: featureVaeWeights(vae, grids[s]!, vaeSettings.beta) } : {}));
  }
  const largest = Math.max(...settings.sizes);
  const manifest: VisionManifest = {
    kind: vaeSettings ? 'feature-vae' : 'gaussian',
    version: `${vaeSettings ? 'feature-vae' : 'gaussian'}-${hash.update(JSON.stringify({ vaeSettings: vaeSettings ?? {}, radii })).digest('hex').slice(0, 12)}`,
    inputSize: [largest, largest],
    channels: 3,
    threshold: Number.POSITIVE_INFINITY,
    thresholdRule: 'not calibrated',
    mapSize: grids[0]!,
    settings: {
      ...settings,
      backbone: BACKBONE_ID,
      scales: settings.sizes.map((size, s) => ({ size, grid: grids[s]!, normaliser: 1, poolRadius: radii[s] })),
      ...(vaeSettings ? { featureVae: vaeSettings } : {}),
      ...(options.poolValidation && options.poolValidation.length > 0 ? { poolValidation: options.poolValidation } : {}),
      trainImages: count,
    },
    trainedOn: { data: options.data, images: count, calibrationImages: 0 },
  };
  return GaussianVisionModel.create(manifest, heads, options.cacheDir, { threads: options.threads }, vaeSettings ? vaes : undefined);
}

/** Image ROC-AUC of max(smoothed map) over labelled grid maps. */
export function validationAuc(maps: readonly Float32Array[], labels: readonly number[], grid: readonly [number, number], sigma: number): number {
  return rocAuc(
    maps.map((map) => mapMax(smoothMap(map, grid[0], grid[1], sigma))),
    [...labels],
  );
}

/**
 * The feature VAE of one input size (scale index `s` offsets its seed), trained on the whitened residuals of the
 * fitted Gaussian over `rows`: what a fold model and the served model both run.
 */
export async function trainScaleVae(
  gaussian: PositionGaussian,
  rows: readonly Float32Array[],
  grid: [number, number],
  settings: FeatureVaeSettings,
  s: number,
  log?: (line: string) => void,
): Promise<FeatureVae> {
  const dims = gaussian.dims;
  const positions = grid[0] * grid[1];
  const residuals = new Float32Array(rows.length * positions * dims);
  const head = await OnnxInferenceSession.create(buildGaussianHead(gaussian, ...grid, { residual: true }));
  try {
    const cells = positions;
    for (let start = 0; start < rows.length; start += 8) {
      const batch = rows.slice(start, start + 8);
      const per = batch[0]!.length;
      const data = new Float32Array(batch.length * per);
      batch.forEach((row, k) => data.set(row, k * per));
      const u = (await head.run({ [HEAD_INPUT]: { data, shape: [batch.length, per / cells, grid[0], grid[1]] } }, [HEAD_RESIDUAL]))[HEAD_RESIDUAL]!.data as Float32Array;
      residuals.set(u, start * positions * dims);
    }
  } finally {
    await head.dispose();
  }
  const vae = buildFeatureVae({ inputDims: dims, hidden: settings.hidden, latent: settings.latent, seed: settings.seed + s });
  const started = Date.now();
  trainFeatureVae(vae, residuals, Int32Array.from({ length: rows.length * positions }, (_, i) => i % positions), grid, {
    epochs: settings.epochs,
    beta: settings.beta,
    seed: settings.seed + s,
    patchesPerEpoch: settings.patchesPerEpoch,
    onEpoch: (epoch, loss) => log?.(`feature VAE ${grid.join('×')} on ${rows.length} images: epoch ${epoch + 1}/${settings.epochs} loss ${loss.toFixed(2)} (${((Date.now() - started) / 1000).toFixed(0)} s)`),
  });
  return vae;
}
